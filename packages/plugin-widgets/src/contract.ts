import { defineEvents, viewerText } from '@streaming-companion/sdk/contracts';
import { z } from 'zod';

/**
 * How a creator's overlay widgets look and behave, stored on the server per creator: the
 * overlay pages read it when they join and follow it live (`widget_settings`), so a change in
 * the dashboard shows in OBS without touching the source URL.
 */

/** The widgets that have settings, each with its page under `/overlay/`. */
export const WIDGET_KINDS = ['alerts', 'goal', 'recent', 'leaderboard', 'highlights'] as const;
export type WidgetKind = (typeof WIDGET_KINDS)[number];

/** `#rrggbb` or `#rrggbbaa`: nothing that could end a CSS declaration. */
export const Colour = z.string().regex(/^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/, 'must be a colour like #ff4f8b or #00000080');

/** Named font stacks: a free-text font would be CSS injected into every overlay. */
export const FONT_FAMILIES = ['system', 'sans', 'serif', 'rounded', 'mono', 'display'] as const;
export const POSITIONS = ['top-left', 'top', 'top-right', 'center', 'bottom-left', 'bottom', 'bottom-right'] as const;
export const ALERT_ANIMATIONS = ['pop', 'fade', 'slide', 'none'] as const;

/** Variables an alert's text may use. Anything else in braces is refused when saved. */
export const ALERT_TEMPLATE_VARIABLES = ['name', 'amount', 'message'] as const;
const TEMPLATE_VARIABLE = /\{([^{}]*)\}/g;
export const AlertTemplate = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((text) => [...text.matchAll(TEMPLATE_VARIABLE)].every(([, name]) => (ALERT_TEMPLATE_VARIABLES as readonly string[]).includes(name!)), {
    message: `use only the variables ${ALERT_TEMPLATE_VARIABLES.map((v) => `{${v}}`).join(', ')}`,
  });

/** An uploaded file's id (`POST /api/widgets/media`); null for none. */
export const MediaId = z.uuid().nullable();

/** A widget's look; where it sits and how wide it is default to where its page has always put it. */
function theme(position: (typeof POSITIONS)[number], widthPx: number) {
  return {
    textColor: Colour.default('#ffffff'),
    accentColor: Colour.default('#ff4f8b'),
    backgroundColor: Colour.default('#14141acc'),
    fontFamily: z.enum(FONT_FAMILIES).default('system'),
    fontSizePx: z.int().min(10).max(96).default(24),
    position: z.enum(POSITIONS).default(position),
    widthPx: z.int().min(120).max(1920).default(widthPx),
  };
}

/** What an alert looks and sounds like; a variation overrides it above its threshold. */
const AlertLook = {
  template: AlertTemplate.default('{name} tipped {amount}!'),
  durationMs: z.int().min(1000).max(60_000).default(5000),
  animation: z.enum(ALERT_ANIMATIONS).default('pop'),
  soundId: MediaId.default(null),
  /** 0 to 100. */
  volume: z.int().min(0).max(100).default(80),
  imageId: MediaId.default(null),
};

export const AlertVariation = z
  .object({
    /** Tips of at least this much (cents) use this variation; the highest threshold reached wins. */
    minAmountCents: z.int().min(1).max(100_000_000),
    ...AlertLook,
    textColor: Colour.optional(),
    accentColor: Colour.optional(),
  })
  .strict();
export type AlertVariation = z.output<typeof AlertVariation>;

export const AlertSettings = z
  .object({
    ...theme('top', 900),
    ...AlertLook,
    /** Tips below this (cents) show no alert; 0 alerts every tip. */
    minAmountCents: z.int().min(0).max(100_000_000).default(0),
    variations: z
      .array(AlertVariation)
      .max(10)
      .default([])
      .refine((list) => new Set(list.map((v) => v.minAmountCents)).size === list.length, { message: 'two variations have the same minimum amount' }),
  })
  .strict();
export type AlertSettings = z.output<typeof AlertSettings>;

export const GoalWidgetSettings = z
  .object({ ...theme('bottom', 1100), /** Keep the last goal on screen, shown as reached, once no goal is active. */ showReached: z.boolean().default(true) })
  .strict();
export const RecentWidgetSettings = z.object({ ...theme('top-right', 480), limit: z.int().min(1).max(20).default(5) }).strict();
export const LeaderboardWidgetSettings = z
  .object({ ...theme('top-left', 420), title: z.string().trim().max(60).default('Top tippers'), limit: z.int().min(1).max(10).default(5) })
  .strict();
/** The "last tipper / biggest tip" label. */
export const HighlightsWidgetSettings = z.object({ ...theme('bottom-left', 600), show: z.enum(['last', 'biggest', 'both']).default('both') }).strict();

/** How amounts are shown in the dashboard and on the overlays. */
export const DisplayUnit = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('currency'), currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO currency code like USD').default('USD') }).strict(),
    z
      .object({
        kind: z.literal('tokens'),
        /** What one token is worth, to turn cents into tokens (Chaturbate: 5). */
        centsPerToken: z.int().min(1).max(10_000),
        label: z.string().trim().min(1).max(20).default('tokens'),
      })
      .strict(),
  ])
  .default({ kind: 'currency', currency: 'USD' });
export type DisplayUnit = z.output<typeof DisplayUnit>;

/** Every widget's settings, defaults filled in: what `GET /api/widgets/settings` answers and `widget_settings` carries. */
export const WidgetSettings = z
  .object({
    display: DisplayUnit,
    alerts: AlertSettings.default(AlertSettings.parse({})),
    goal: GoalWidgetSettings.default(GoalWidgetSettings.parse({})),
    recent: RecentWidgetSettings.default(RecentWidgetSettings.parse({})),
    leaderboard: LeaderboardWidgetSettings.default(LeaderboardWidgetSettings.parse({})),
    highlights: HighlightsWidgetSettings.default(HighlightsWidgetSettings.parse({})),
  })
  .meta({ id: 'WidgetSettings' });
export type WidgetSettings = z.output<typeof WidgetSettings>;
/** The settings as they may be sent: fields with a default may be left out. */
export type WidgetSettingsInput = z.input<typeof WidgetSettings>;

/** One part of the settings, as `PUT /api/widgets/settings/:part` takes it (whole, defaults filled). */
export const SETTINGS_PARTS = ['display', ...WIDGET_KINDS] as const;
export type SettingsPart = (typeof SETTINGS_PARTS)[number];
/** Each part's schema as a request body: required, with what it leaves out defaulted. */
export const SETTINGS_PART_SCHEMAS = {
  display: DisplayUnit.unwrap(),
  alerts: AlertSettings,
  goal: GoalWidgetSettings,
  recent: RecentWidgetSettings,
  leaderboard: LeaderboardWidgetSettings,
  highlights: HighlightsWidgetSettings,
} as const satisfies Record<SettingsPart, z.ZodType>;

export const MEDIA_KINDS = ['sound', 'image'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** An uploaded sound or image, served to the overlays at `url`. */
export const MediaDto = z
  .object({
    id: z.uuid(),
    kind: z.enum(MEDIA_KINDS),
    name: z.string(),
    mediaType: z.string(),
    sizeBytes: z.int(),
    /** Same-server path the overlay pages load it from (no login: the id is unguessable). */
    url: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'WidgetMedia' });
export type MediaDto = z.output<typeof MediaDto>;

/** `widget_settings`: the creator's settings with the media they use resolved to URLs. */
export const WidgetSettingsEvent = z.object({
  creatorId: z.uuid(),
  settings: WidgetSettings,
  /** id → URL for every media id the settings name. */
  media: z.record(z.uuid(), z.string()),
});

/** A sample tip shaped like `tip_received`'s, for `test_alert`; it is recorded nowhere. */
export const TestAlert = z.object({
  test: z.literal(true),
  creatorId: z.uuid(),
  tip: z.object({
    id: z.uuid(),
    amountCents: z.int().positive(),
    tokens: z.int().nullable(),
    centsPerToken: z.int().nullable(),
    tipperName: z.string().nullable(),
    message: z.string().nullable(),
    isAnonymous: z.boolean(),
    createdAt: z.iso.datetime(),
  }),
});
export type TestAlert = z.output<typeof TestAlert>;

/** `POST /api/widgets/test-alert`: what the sample tip says; each left out takes a sample value (the amount: 100 of the creator's display unit). */
export const TestAlertRequest = z
  .object({
    amountCents: z.int().min(1).max(100_000_000).optional(),
    /** Cleaned like a tip's; blank is the sample. */
    tipperName: viewerText(64).optional(),
    message: viewerText(500).optional(),
  })
  .strict()
  .meta({ id: 'WidgetTestAlertRequest' });
export type TestAlertRequest = z.input<typeof TestAlertRequest>;

export const widgetEvents = defineEvents('widgets', {
  socket: { widget_settings: WidgetSettingsEvent, test_alert: TestAlert },
  overlay: ['widget_settings', 'test_alert'],
});
