import type {
  AnimationType,
  ApiTokenDto,
  CreatorDto,
  MenuItemCategory,
  SessionNoteDto,
  StreamPlatform,
  StreamSessionDto,
  ViewerStanding,
} from '@streaming-companion/sdk/contracts';
import { ApiError } from './api-error.ts';
import type {
  AnalyticsInterval,
  AnalyticsSummary,
  AnimationOutcome,
  AnimationRuleDto,
  AnimationSettings,
  ChatbotEvent,
  ConnectorStatus,
  ItemSales,
  MenuItemActions,
  MenuItemDto,
  PersonaCooldowns,
  PersonaDto,
  ChatbotCapabilities,
  PersonaLlm,
  PersonaTimer,
  PublicMenuItem,
  RehearsalDto,
  RehearsalSpeed,
  TemplateDto,
  TipDto,
  TipGoal,
  TopTippers,
  TryResult,
  TtsControl,
  TtsSettings,
  TtsVoiceDto,
  ViewerLevel,
  TestAlert,
  TestAlertRequest,
  WidgetMedia,
  WidgetMediaKind,
  WidgetSettings,
  WidgetSettingsInput,
  WidgetSettingsPart,
  WebhookDelivery,
  WebhookDeliveryQuery,
  WebhookEndpoint,
  WebhookEndpointInput,
  WebhookEndpointPatch,
  WebhookEndpointWithSecret,
  WebhookEventTypeDto,
} from './events.ts';
import { LiveConnection, type LiveConnectionOptions, type RecordedTip } from './live-connection.ts';
import { call, send, type CallOptions, type RestOptions } from './rest.ts';

export { ApiError, type ApiErrorInit } from './api-error.ts';
export {
  LiveConnection,
  type AddTipInput,
  type ConnectionStatus,
  type LiveConnectionOptions,
  type RecordedTip,
} from './live-connection.ts';
export type * from './events.ts';
export type { ApiTokenDto, CreatorDto, ProblemFieldError, SessionNoteDto, StreamSessionDto, ViewerStanding } from '@streaming-companion/sdk/contracts';
export * from '@streaming-companion/sdk/wire';

export interface ClientOptions {
  /** The server's origin, e.g. `https://companion.example.com`; `''` for the page's own origin in a browser. */
  baseUrl: string;
  /** A login token, an SSO bearer token or a personal API token (`scp_…`). */
  token?: string | null;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

export interface AuthResult {
  token: string;
  creator: CreatorDto;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface RecordTipInput {
  sessionId: string;
  /** Give the amount in cents, or in `tokens` (converted at the platform's rate or `centsPerToken`). */
  amountCents?: number;
  tokens?: number;
  centsPerToken?: number;
  tipperName?: string;
  message?: string;
  isAnonymous?: boolean;
  source?: 'manual' | 'platform_api';
  /** The platform's event id; required when `source` is `platform_api`, and makes retries safe. */
  externalEventId?: string;
}

export interface TipQuery {
  sessionId?: string;
  tipperName?: string;
  from?: string;
  to?: string;
  page?: number;
  pageSize?: number;
}

export interface GoalInput {
  sessionId: string;
  title: string;
  targetCents: number;
  description?: string;
  /** Position to insert at (0 = first); the end of the list when absent. */
  order?: number;
}

export type GoalPatch = Partial<Pick<GoalInput, 'title' | 'targetCents' | 'order'>> & { description?: string | null };

/** What a menu item sets off when bought; an animation's `intensity` defaults to 5 on the server. */
export interface MenuItemActionsInput {
  animation?: Omit<NonNullable<MenuItemActions['animation']>, 'intensity'> & { intensity?: number };
  goalBonusCents?: number;
  ttsTemplate?: string;
}

export interface MenuItemInput {
  title: string;
  description?: string | null;
  /** The price in cents (required, also on token platforms: it is what a tip in dollars must be). */
  priceCents: number;
  priceTokens?: number | null;
  /** `performance` when absent. */
  category?: MenuItemCategory;
  /** `true` when absent. */
  active?: boolean;
  emoji?: string | null;
  actions?: MenuItemActionsInput;
}

/** Any of an item's fields; `null` (or blank text) clears `description`, `priceTokens` and `emoji`. */
export type MenuItemPatch = Partial<MenuItemInput>;

/** A creator's public tip menu: their active items in order. */
export interface PublicMenu {
  creatorId: string;
  displayName: string;
  items: PublicMenuItem[];
}

export interface AnimationTriggerInput {
  sessionId: string;
  type: AnimationType;
  /** 1-10; 3 when absent. */
  intensity?: number;
  /** The image or video of a `custom` animation (https, or a path on the server); required for `custom`, refused for the others. */
  url?: string;
}

export interface AnimationRuleInput {
  /** The rule plays on every tip of at least this much (the highest threshold a tip reaches wins); one rule per amount. */
  minAmountCents: number;
  type: AnimationType;
  /** 1-10; 3 when absent. */
  intensity?: number;
  /** Required for `custom`, refused for the others. */
  url?: string | null;
  /** `true` when absent. */
  active?: boolean;
}

export type AnimationRulePatch = Partial<AnimationRuleInput>;

/**
 * Which tips a report covers. `from`/`to`: ISO dates (midnight in `tz`) or date-times with an
 * offset, half-open; without them, the session's span with `sessionId`, the last 30 days otherwise.
 */
export interface AnalyticsQuery {
  sessionId?: string;
  platform?: StreamPlatform;
  from?: string;
  to?: string;
  /** The creator's IANA time zone (default UTC): where days and weeks begin. */
  tz?: string;
}

/** A Chaturbate connection to save. */
export interface ChaturbateConnectionInput {
  /** The Events API URL Chaturbate shows (`https://eventsapi.chaturbate.com/events/<username>/<token>/`): a secret, never returned. */
  eventsUrl: string;
  /** Start and end the session when the broadcast starts and stops on Chaturbate; `false` when absent. */
  autoSession?: boolean;
  /** What one token is worth, in cents; the server's default (5) when absent. */
  centsPerToken?: number;
}

/** What a rehearsal plays: one of your past sessions' tips, or simulated ones; at 1× (as it happened, the default) or 5×. */
export type RehearsalInput = (
  | { fromSessionId: string; simulate?: never }
  | {
      fromSessionId?: never;
      /** `tipCount` 1-500 spread over `durationSeconds` 5-3600; token amounts from `minTokens` (1) to `maxTokens` (500), worth `centsPerToken` (5). */
      simulate: { tipCount: number; durationSeconds: number; minTokens?: number; maxTokens?: number; centsPerToken?: number };
    }
) & { speed?: RehearsalSpeed };

/** A persona's trigger to save: a saved one keeps its `id` (templates tied to it stay tied), a new one gets one; `minLevel` null (the default) leaves it to the persona's. */
export type ChatbotTriggerInput = { id?: string; minLevel?: ViewerLevel | null } & (
  | { type: 'command'; command: string }
  | { type: 'keyword'; keywords: string[] }
  | { type: 'regex'; pattern: string }
  | { type: 'tip'; minCents: number; maxCents?: number | null }
  | { type: 'event'; event: ChatbotEvent }
);

/** A chatbot persona to create; what is left out takes the server's default. */
export interface PersonaInput {
  name: string;
  /** An https image shown beside its replies (on overlays). */
  avatarUrl?: string | null;
  enabled?: boolean;
  /** Higher answers first. */
  priority?: number;
  triggers?: ChatbotTriggerInput[];
  cooldowns?: Partial<PersonaCooldowns>;
  /** The lowest viewer level it answers. */
  minLevel?: ViewerLevel;
  /** Post on its own every `everyMinutes`; null for never. */
  timer?: PersonaTimer | null;
  /** Answer through the server's language model (only when the server has one); null for templates only. */
  llm?: PersonaLlm | null;
}

/** Any of a persona's fields; `cooldowns` changes the ones it names; `triggers` replaces the whole list (replies tied to a trigger left out are deleted). */
export type PersonaPatch = Partial<PersonaInput>;

export interface TemplateInput {
  /** The reply, with variables `{senderName}`, `{tipperName}`, `{amount}`, `{goal.title}`, `{goal.remaining}`, `{menu}`; any other is a 400 naming `text`. */
  text: string;
  /** Relative odds among the templates that fit. */
  weight?: number;
  /** Only for this trigger of the persona; null (or absent) for any. */
  triggerId?: string | null;
}

export type TemplatePatch = Partial<TemplateInput>;

/** A chat line to try against your personas, nothing sent anywhere. */
export interface ChatbotTryInput {
  message: string;
  senderName?: string;
  /** What the platform would say of the sender; it sets their level. */
  standing?: ViewerStanding;
}

/** Whether a session's speech is muted (`mute` is kept with the session until `unmute`). */
export interface TtsMuteState {
  sessionId: string;
  muted: boolean;
}

/** A line to hear, in the saved voice, speed and pitch unless given. */
export interface TtsPreviewInput {
  text: string;
  voice?: string;
  speed?: number;
  pitch?: number;
}

/** The OBS overlay pages, each with the key in the fragment so it never reaches logs. */
export const OVERLAY_PAGES = ['alerts', 'goal', 'events', 'leaderboard', 'highlights', 'animations', 'menu', 'all'] as const;
export type OverlayPage = (typeof OVERLAY_PAGES)[number];

/**
 * The typed REST and socket client for a Streaming Companion server: what the dashboard
 * uses, and what an integration installs from npm.
 */
export class StreamingCompanionClient {
  readonly baseUrl: string;
  #token: string | null;
  readonly #rest: RestOptions;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.#token = options.token ?? null;
    const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#rest = { baseUrl: this.baseUrl, token: () => this.#token, fetch: fetchImpl };
  }

  get token(): string | null {
    return this.#token;
  }

  /** Use another token from now on (sockets already open keep theirs). */
  setToken(token: string | null): void {
    this.#token = token;
  }

  readonly auth = {
    /** `local`: signup and login here; `sso`: creators arrive with a bearer token from the platform. */
    mode: async () => (await this.#call<{ mode: 'local' | 'sso' }>('GET', '/api/auth/config')).mode,
    /** Creates a local account and signs in with it. */
    signup: async (input: { email: string; password: string; displayName: string }) => this.#signIn('/api/auth/signup', input),
    login: async (input: { email: string; password: string }) => this.#signIn('/api/auth/login', input),
    me: () => this.#call<CreatorDto>('GET', '/api/auth/me'),
  };

  /** Personal API tokens for integrations. */
  readonly tokens = {
    /** The secret is in `token`, returned this once only. */
    create: (name: string) => this.#call<ApiTokenDto & { token: string }>('POST', '/api/auth/tokens', { body: { name } }),
    list: async () => (await this.#call<{ items: ApiTokenDto[] }>('GET', '/api/auth/tokens')).items,
    revoke: (id: string) => this.#call<void>('DELETE', `/api/auth/tokens/${encodeURIComponent(id)}`),
  };

  readonly sessions = {
    /** Fails with `session_already_active` (409, `extra.activeSessionId`) while another session is live. */
    start: (input: { platform: StreamPlatform; title?: string; metadata?: Record<string, unknown> }) =>
      this.#call<StreamSessionDto>('POST', '/api/sessions', { body: input }),
    /** The live session, or null between sessions. */
    active: async () => {
      try {
        return await this.#call<StreamSessionDto>('GET', '/api/sessions/active');
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    list: (query: { page?: number; pageSize?: number; status?: 'active' | 'ended' } = {}) =>
      this.#call<Page<StreamSessionDto>>('GET', '/api/sessions', { query }),
    get: (id: string) => this.#call<StreamSessionDto>('GET', `/api/sessions/${encodeURIComponent(id)}`),
    update: (id: string, patch: { title?: string | null; notes?: string | null; metadata?: Record<string, unknown> }) =>
      this.#call<StreamSessionDto>('PATCH', `/api/sessions/${encodeURIComponent(id)}`, { body: patch }),
    /** Idempotent: ending an ended session returns it unchanged. */
    end: (id: string) => this.#call<StreamSessionDto>('POST', `/api/sessions/${encodeURIComponent(id)}/end`),
    addNote: (id: string, text: string) => this.#call<SessionNoteDto>('POST', `/api/sessions/${encodeURIComponent(id)}/notes`, { body: { text } }),
    notes: async (id: string) => (await this.#call<{ items: SessionNoteDto[] }>('GET', `/api/sessions/${encodeURIComponent(id)}/notes`)).items,
  };

  readonly tips = {
    /**
     * Record a tip into the active session. With `idempotencyKey`, a retry of the same call
     * returns the first result instead of recording it twice.
     */
    record: (input: RecordTipInput, options: { idempotencyKey?: string } = {}) =>
      this.#call<RecordedTip>('POST', '/api/tips', {
        body: input,
        headers: options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : undefined,
      }),
    /** Newest first. */
    list: (query: TipQuery = {}) => this.#call<Page<TipDto>>('GET', '/api/tips', { query: { ...query } }),
    /**
     * Void a tip (a test, a typo): it stays listed, marked, and leaves every total, goal and
     * report. Idempotent: a void tip answers unchanged. Answers it with the corrected `sessionTotals`.
     */
    void: (id: string, input: { reason: string }) => this.#call<RecordedTip>('POST', `/api/tips/${encodeURIComponent(id)}/void`, { body: input }),
  };

  readonly goals = {
    create: (input: GoalInput) => this.#call<TipGoal>('POST', '/api/goals', { body: input }),
    /** The session's goals in order. */
    list: async (sessionId: string) => (await this.#call<{ items: TipGoal[] }>('GET', '/api/goals', { query: { sessionId } })).items,
    update: (id: string, patch: GoalPatch) => this.#call<TipGoal>('PATCH', `/api/goals/${encodeURIComponent(id)}`, { body: patch }),
    /** Move a goal to a position (0 = first); the others shift to make room. */
    move: (id: string, order: number) => this.#call<TipGoal>('PATCH', `/api/goals/${encodeURIComponent(id)}`, { body: { order } }),
    remove: (id: string) => this.#call<void>('DELETE', `/api/goals/${encodeURIComponent(id)}`),
  };

  /** The tip menu (the menu plugin's routes). */
  readonly menu = {
    /** Your items in order, inactive ones included. */
    list: async () => (await this.#call<{ items: MenuItemDto[] }>('GET', '/api/menu')).items,
    /** Adds the item at the end of the menu. */
    create: (input: MenuItemInput) => this.#call<MenuItemDto>('POST', '/api/menu', { body: input }),
    update: (id: string, patch: MenuItemPatch) => this.#call<MenuItemDto>('PATCH', `/api/menu/${encodeURIComponent(id)}`, { body: patch }),
    remove: (id: string) => this.#call<void>('DELETE', `/api/menu/${encodeURIComponent(id)}`),
    /** Switches an item on or off; an inactive item is kept but left out of the public menu and of tip matching. */
    toggle: (id: string) => this.#call<MenuItemDto>('POST', `/api/menu/${encodeURIComponent(id)}/toggle`),
    /** Puts the menu in this order: every one of your item ids once, first to last. Resolves the items in their new order. */
    reorder: async (ids: string[]) => (await this.#call<{ items: MenuItemDto[] }>('POST', '/api/menu/reorder', { body: { ids } })).items,
    /** What each item sold in one of your sessions (items that sold nothing are left out). */
    sales: async (sessionId: string) => (await this.#call<{ items: ItemSales[] }>('GET', '/api/menu/sales', { query: { sessionId } })).items,
    /** A creator's public menu, as viewers see it (no sign-in needed). */
    publicMenu: (creatorId: string) => this.#call<PublicMenu>('GET', `/api/menu/public/${encodeURIComponent(creatorId)}`),
  };

  /** Overlay animations (the animations plugin's routes). */
  readonly animations = {
    /**
     * Play an animation on a live session's overlays now. Resolves `played`, or `merged` when
     * the cooldown or the cap held it back into the next, bigger effect.
     */
    trigger: async ({ sessionId, type, intensity, url }: AnimationTriggerInput): Promise<AnimationOutcome> => {
      const metadata = intensity === undefined && url === undefined ? undefined : { intensity, url };
      return (await this.#call<{ outcome: AnimationOutcome }>('POST', '/api/animations/trigger', { body: { sessionId, type, metadata } })).outcome;
    },
    /** Animations played by tip amount. */
    rules: {
      /** By threshold, lowest first. */
      list: async () => (await this.#call<{ items: AnimationRuleDto[] }>('GET', '/api/animations/rules')).items,
      /** Fails with 409 `threshold_taken` when another rule starts at that amount. */
      create: (input: AnimationRuleInput) => this.#call<AnimationRuleDto>('POST', '/api/animations/rules', { body: input }),
      update: (id: string, patch: AnimationRulePatch) =>
        this.#call<AnimationRuleDto>('PATCH', `/api/animations/rules/${encodeURIComponent(id)}`, { body: patch }),
      remove: (id: string) => this.#call<void>('DELETE', `/api/animations/rules/${encodeURIComponent(id)}`),
    },
    settings: {
      /** Your settings, or the server's defaults until you set them. */
      get: () => this.#call<AnimationSettings>('GET', '/api/animations/settings'),
      set: (limits: AnimationSettings) => this.#call<AnimationSettings>('PUT', '/api/animations/settings', { body: limits }),
    },
  };

  /** What streams earned, who tipped and when (the analytics plugin's routes). */
  readonly analytics = {
    /** Totals, median, tippers, a curve (interval chosen from the range unless given), goals reached and menu sales. */
    summary: (query: AnalyticsQuery & { interval?: AnalyticsInterval } = {}) => this.#call<AnalyticsSummary>('GET', '/api/analytics/summary', { query: { ...query } }),
    /** Who gave most; the anonymous tips are one entry, "Anonymous". */
    topTippers: (query: AnalyticsQuery & { limit?: number } = {}) => this.#call<TopTippers>('GET', '/api/analytics/top-tippers', { query: { ...query } }),
    /** Every tip of the range as RFC 4180 CSV, as the server streams it: read it with `.text()`, `.blob()` or `.body`. */
    exportCsv: (query: AnalyticsQuery = {}) => send(this.#rest, 'GET', '/api/analytics/export', { query: { ...query }, headers: { accept: 'text/csv' } }),
  };

  /** Platform connectors: each follows a platform's events and records its tips by itself (the connector plugins' routes). */
  readonly connectors = {
    chaturbate: {
      /** The connection's state and counters; never the URL or its token (`tokenHint` is its last four characters). */
      status: () => this.#call<ConnectorStatus>('GET', '/api/connectors/chaturbate'),
      /** Save (or replace) the connection; following starts over from Chaturbate's current position. A URL not on Chaturbate's Events API is a 400 naming `eventsUrl`. */
      connect: (input: ChaturbateConnectionInput) => this.#call<ConnectorStatus>('PUT', '/api/connectors/chaturbate', { body: input }),
      /** Stop following and forget the URL (idempotent). */
      disconnect: () => this.#call<void>('DELETE', '/api/connectors/chaturbate'),
    },
  };

  /** Rehearsals: tips played into your overlays in a session of their own, left out of totals and analytics (the rehearsal plugin's routes). */
  readonly rehearsals = {
    /** Starts the rehearsal's session and its playback; 409 `session_already_active` while any session is live. */
    start: (input: RehearsalInput) => this.#call<RehearsalDto>('POST', '/api/rehearsals', { body: input }),
    /** Newest first (the latest `limit`, 20 by default). */
    list: async (query: { limit?: number } = {}) => (await this.#call<{ items: RehearsalDto[] }>('GET', '/api/rehearsals', { query })).items,
    /** Its progress: `played` of `tipCount`, and `status`. */
    get: (id: string) => this.#call<RehearsalDto>('GET', `/api/rehearsals/${encodeURIComponent(id)}`),
    /** Ends its session now (a stopped or finished one is answered unchanged). */
    stop: (id: string) => this.#call<RehearsalDto>('POST', `/api/rehearsals/${encodeURIComponent(id)}/stop`),
  };

  /** Chatbot personas, their reply templates, and trying a chat line (the chatbot plugin's routes). */
  readonly chatbot = {
    personas: {
      /** Highest priority first. */
      list: async () => (await this.#call<{ items: PersonaDto[] }>('GET', '/api/chatbot/personas')).items,
      create: (input: PersonaInput) => this.#call<PersonaDto>('POST', '/api/chatbot/personas', { body: input }),
      get: (id: string) => this.#call<PersonaDto>('GET', personaPath(id)),
      update: (id: string, patch: PersonaPatch) => this.#call<PersonaDto>('PATCH', personaPath(id), { body: patch }),
      /** Its templates go with it. */
      delete: (id: string) => this.#call<void>('DELETE', personaPath(id)),
    },
    templates: {
      list: async (personaId: string) => (await this.#call<{ items: TemplateDto[] }>('GET', `${personaPath(personaId)}/templates`)).items,
      create: (personaId: string, input: TemplateInput) => this.#call<TemplateDto>('POST', `${personaPath(personaId)}/templates`, { body: input }),
      update: (personaId: string, templateId: string, patch: TemplatePatch) =>
        this.#call<TemplateDto>('PATCH', `${personaPath(personaId)}/templates/${encodeURIComponent(templateId)}`, { body: patch }),
      delete: (personaId: string, templateId: string) => this.#call<void>('DELETE', `${personaPath(personaId)}/templates/${encodeURIComponent(templateId)}`),
    },
    /**
     * Which persona would answer a chat line in your live session now, its template reply, and why
     * (one line per persona considered): a dry run that sends nothing, takes no cooldown and asks no model.
     */
    try: (input: ChatbotTryInput) => this.#call<TryResult>('POST', '/api/chatbot/try', { body: input }),
    /** Whether personas may use a language model on this server. */
    capabilities: () => this.#call<ChatbotCapabilities>('GET', '/api/chatbot/capabilities'),
  };

  /** Tips read aloud on the overlays (the TTS plugin's routes). */
  readonly tts = {
    /** Your settings, or the server's defaults until you save any. */
    settings: () => this.#call<TtsSettings>('GET', '/api/tts/settings'),
    /** Changes the settings given (the others keep their value); `voice` must be one of `voices()`; a bad one is a 400 naming it. */
    updateSettings: (settings: Partial<TtsSettings>) => this.#call<TtsSettings>('PUT', '/api/tts/settings', { body: settings }),
    /** What the server's speech engine can speak with. */
    voices: async () => (await this.#call<{ voices: TtsVoiceDto[] }>('GET', '/api/tts/voices')).voices,
    /**
     * The text as a tip would sound (your filter and caps, your voice unless given), as a WAV file
     * to play from `URL.createObjectURL`. A text the filter would skip, or with nothing to read, is a 422 naming `text`.
     */
    preview: async (input: TtsPreviewInput) => (await send(this.#rest, 'POST', '/api/tts/preview', { body: input, headers: { accept: 'audio/wav' } })).blob(),
    /** On the live session's overlays, at once: `skip` the clip playing, `mute` (stopping it; nothing is queued while muted) or `unmute`. */
    control: (input: TtsControl) => this.#call<TtsMuteState>('POST', '/api/tts/control', { body: input }),
    /** Whether the session's speech is muted. */
    muteState: (sessionId: string) => this.#call<TtsMuteState>('GET', '/api/tts/control', { query: { sessionId } }),
  };

  /** How the overlay widgets look, the sounds and images they play, and test alerts (the widgets plugin's routes). */
  readonly widgets = {
    /** Every widget's settings, the defaults filled in where you saved nothing. */
    settings: () => this.#call<WidgetSettings>('GET', '/api/widgets/settings'),
    /**
     * Replace one part (`display` or a widget) whole; fields left out take their default. Resolves
     * every widget's settings; a bad value is a 400 naming its field (e.g. `variations.1.soundId`).
     * Joined overlays follow the change live (`widget_settings`).
     */
    save: <P extends WidgetSettingsPart>(part: P, value: NonNullable<WidgetSettingsInput[P]>) =>
      this.#call<WidgetSettings>('PUT', `/api/widgets/settings/${encodeURIComponent(part)}`, { body: value }),
    media: {
      /** Your uploaded sounds and images, newest first. */
      list: async () => (await this.#call<{ items: WidgetMedia[] }>('GET', '/api/widgets/media')).items,
      /**
       * Upload a sound (mp3, ogg, wav, webm; 1 MB) or an image (png, jpeg, gif, webp; 2 MB).
       * A type not allowed is a 415, a file too big a 413, bytes that are not what `mediaType` says a 400 naming `body`.
       */
      upload: (kind: WidgetMediaKind, name: string, file: Blob | Uint8Array, mediaType: string) =>
        this.#call<WidgetMedia>('POST', '/api/widgets/media', { query: { kind, name }, upload: { bytes: file, mediaType } }),
      /** A file a setting still uses is kept: 409 `media_in_use` naming the setting. */
      remove: (id: string) => this.#call<void>('DELETE', `/api/widgets/media/${encodeURIComponent(id)}`),
    },
    /** Play a sample alert (marked `test`) on your overlays now; nothing is recorded. Resolves the alert sent. */
    testAlert: (input: TestAlertRequest = {}) => this.#call<TestAlert>('POST', '/api/widgets/test-alert', { body: input }),
  };

  /** Signed webhooks to your own endpoints, and their delivery log (the webhooks plugin's routes). */
  readonly webhooks = {
    /** The event types you may pick on this server (those of the plugins it runs). */
    eventTypes: async () => (await this.#call<{ items: WebhookEventTypeDto[] }>('GET', '/api/webhooks/event-types')).items,
    /** Your endpoints, oldest first; secrets only as `secretHint`. */
    list: async () => (await this.#call<{ items: WebhookEndpoint[] }>('GET', '/api/webhooks')).items,
    /**
     * Add an endpoint; resolves it with its signing `secret`, shown this once. A URL the server may
     * not reach (not https, or a private or loopback address) is a 422 naming `url`; past the limit, a 409 `endpoint_limit`.
     */
    create: (input: WebhookEndpointInput) => this.#call<WebhookEndpointWithSecret>('POST', '/api/webhooks', { body: input }),
    get: (id: string) => this.#call<WebhookEndpoint>('GET', webhookPath(id)),
    /** Change `url`, `events`, `description` or `active` (switching it on again clears `disabledReason`). */
    update: (id: string, patch: WebhookEndpointPatch) => this.#call<WebhookEndpoint>('PATCH', webhookPath(id), { body: patch }),
    /** Its pending deliveries are dropped with it. */
    remove: (id: string) => this.#call<void>('DELETE', webhookPath(id)),
    /** A new signing secret, shown this once; the old one stops signing at once. */
    rotateSecret: (id: string) => this.#call<WebhookEndpointWithSecret>('POST', `${webhookPath(id)}/rotate-secret`),
    /** Send a `webhook.test` ping through the usual delivery (signed, retried, logged); resolves the pending delivery. */
    test: (id: string) => this.#call<WebhookDelivery>('POST', `${webhookPath(id)}/test`),
    /** The endpoint's delivery log, newest first. */
    deliveries: (id: string, query: WebhookDeliveryQuery = {}) =>
      this.#call<Page<WebhookDelivery>>('GET', `${webhookPath(id)}/deliveries`, { query: { ...query } }),
    /** Send a delivery again now (same event id, fresh attempts); one still pending is answered unchanged. */
    redeliver: (id: string, deliveryId: string) =>
      this.#call<WebhookDelivery>('POST', `${webhookPath(id)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`),
  };

  readonly overlay = {
    key: async () => (await this.#call<{ overlayKey: string }>('GET', '/api/overlay-key')).overlayKey,
    /** A new key; every overlay using the old one is cut off at once. */
    rotateKey: async () => (await this.#call<{ overlayKey: string }>('POST', '/api/overlay-key/rotate')).overlayKey,
    /** The OBS browser-source URL of each overlay page for a key (`origin` defaults to the client's base URL). */
    pageUrls: (overlayKey: string, origin = this.baseUrl): Record<OverlayPage, string> =>
      Object.fromEntries(OVERLAY_PAGES.map((page) => [page, `${origin}/overlay/${page}#key=${encodeURIComponent(overlayKey)}`])) as Record<
        OverlayPage,
        string
      >,
  };

  /** Open the authenticated `/streaming` socket with the current token. */
  connect(options?: LiveConnectionOptions): LiveConnection {
    if (!this.#token) throw new ApiError({ status: 0, code: 'unauthenticated', detail: 'sign in (or set a token) before connecting' });
    return new LiveConnection(this.baseUrl, this.#token, options);
  }

  async #signIn(path: string, body: unknown): Promise<AuthResult> {
    const result = await this.#call<AuthResult>('POST', path, { body });
    this.#token = result.token;
    return result;
  }

  #call<T>(method: string, path: string, options?: CallOptions): Promise<T> {
    return call<T>(this.#rest, method, path, options);
  }
}

const personaPath = (id: string) => `/api/chatbot/personas/${encodeURIComponent(id)}`;
const webhookPath = (id: string) => `/api/webhooks/${encodeURIComponent(id)}`;

export const createClient = (options: ClientOptions): StreamingCompanionClient => new StreamingCompanionClient(options);
