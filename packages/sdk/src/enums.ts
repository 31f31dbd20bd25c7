/* The spec's enums, free of zod so browser bundles (the client, the dashboard) can use them. */

/** A session is `active` while live, `ended` once stopped; only one is active per creator. */
export const SESSION_STATUSES = ['active', 'ended'] as const;
/** One of `SESSION_STATUSES`. */
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** The platforms a session can run on; `other` for any without a connector. */
export const STREAM_PLATFORMS = ['chaturbate', 'stripchat', 'other'] as const;
/** One of `STREAM_PLATFORMS`. */
export type StreamPlatform = (typeof STREAM_PLATFORMS)[number];

/** Where a tip came from: a platform connector, typed in by hand, or a socket client's `add_tip`. */
export const TIP_SOURCES = ['platform_api', 'manual', 'websocket'] as const;
/** One of `TIP_SOURCES`. */
export type TipSource = (typeof TIP_SOURCES)[number];

/** The groups a tip menu's items are shown in. */
export const MENU_ITEM_CATEGORIES = ['performance', 'request', 'interaction', 'custom'] as const;
/** One of `MENU_ITEM_CATEGORIES`. */
export type MenuItemCategory = (typeof MENU_ITEM_CATEGORIES)[number];

/** The overlay animations a tip can trigger; `custom` plays the creator's own. */
export const ANIMATION_TYPES = ['confetti', 'hearts', 'rain', 'custom'] as const;
/** One of `ANIMATION_TYPES`. */
export type AnimationType = (typeof ANIMATION_TYPES)[number];

/** A goal waits (`pending`), counts tips (`active`), then is `completed`. */
export const GOAL_STATUSES = ['pending', 'active', 'completed'] as const;
/** One of `GOAL_STATUSES`. */
export type GoalStatus = (typeof GOAL_STATUSES)[number];
