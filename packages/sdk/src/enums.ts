/** The spec's enums, free of zod so browser bundles (the client, the dashboard) can use them. */

export const SESSION_STATUSES = ['active', 'ended'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const STREAM_PLATFORMS = ['chaturbate', 'stripchat', 'other'] as const;
export type StreamPlatform = (typeof STREAM_PLATFORMS)[number];

export const TIP_SOURCES = ['platform_api', 'manual', 'websocket'] as const;
export type TipSource = (typeof TIP_SOURCES)[number];

export const MENU_ITEM_CATEGORIES = ['performance', 'request', 'interaction', 'custom'] as const;
export type MenuItemCategory = (typeof MENU_ITEM_CATEGORIES)[number];

export const ANIMATION_TYPES = ['confetti', 'hearts', 'rain', 'custom'] as const;
export type AnimationType = (typeof ANIMATION_TYPES)[number];

export const GOAL_STATUSES = ['pending', 'active', 'completed'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];
