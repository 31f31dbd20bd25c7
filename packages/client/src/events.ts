import type { kernelEvents, PayloadInput, SocketEventMap } from '@streaming-companion/sdk/contracts';
import type { animationEvents } from '@streaming-companion/plugin-animations/contract';
import type { chatbotEvents } from '@streaming-companion/plugin-chatbot/contract';
import type { chaturbateEvents } from '@streaming-companion/plugin-chaturbate/contract';
import type { goalEvents } from '@streaming-companion/plugin-goals/contract';
import type { menuEvents } from '@streaming-companion/plugin-menu/contract';
import type { tipEvents } from '@streaming-companion/plugin-tips/contract';
import type { ttsEvents } from '@streaming-companion/plugin-tts/contract';
import type { webhookEvents } from '@streaming-companion/plugin-webhooks/contract';
import type { widgetEvents } from '@streaming-companion/plugin-widgets/contract';

/**
 * The first-party contracts this client speaks, taken from their owners (type-only imports:
 * nothing of the server is bundled). A new first-party plugin's contract is added here.
 */
export type FirstPartyContracts =
  | typeof kernelEvents
  | typeof tipEvents
  | typeof goalEvents
  | typeof menuEvents
  | typeof animationEvents
  | typeof chaturbateEvents
  | typeof chatbotEvents
  | typeof ttsEvents
  | typeof widgetEvents
  | typeof webhookEvents;

/** Every server → client event of the first-party plugins, name → payload. */
export type ServerToClientEvents = SocketEventMap<FirstPartyContracts>;

/** `menu_updated`: the creator's active menu items, in order, after any change to the menu. */
export type MenuUpdated = ServerToClientEvents['menu_updated'];
/** `menu_item_purchased`: a tip in the session matched a menu item. */
export type MenuItemPurchased = ServerToClientEvents['menu_item_purchased'];

/** `chatbot_message`: a viewer's chat line for the personas to answer (`standing`, when known, sets the sender's level). */
export type ChatbotMessageInput = PayloadInput<typeof chatbotEvents.commands.chatbot_message>;

export type { StreamSessionUpdate, SocketErrorPayload } from '@streaming-companion/sdk/contracts';
export type {
  AnimationMetadata,
  AnimationOutcome,
  AnimationRuleDto,
  AnimationSettings,
  AnimationSource,
  AnimationTrigger,
} from '@streaming-companion/plugin-animations/contract';
export type {
  ChatbotCapabilities,
  ChatbotEvent,
  ChatbotResponse,
  ChatbotTrigger,
  PersonaCooldowns,
  PersonaDto,
  PersonaLlm,
  PersonaTimer,
  ReplyTrigger,
  TemplateDto,
  TemplateVariable,
  TriggerType,
  TryResult,
  ViewerLevel,
} from '@streaming-companion/plugin-chatbot/contract';
export type { ConnectorState, ConnectorStatus } from '@streaming-companion/plugin-chaturbate/contract';
export type { GoalCompleted, GoalProgress, TipGoal } from '@streaming-companion/plugin-goals/contract';
export type { AnalyticsSummary, CurvePoint, Interval as AnalyticsInterval, TopTipper, TopTippers } from '@streaming-companion/plugin-analytics/contract';
export type { ItemSales, MenuItemActions, MenuItemDto, PublicMenuItem } from '@streaming-companion/plugin-menu/contract';
export type { RehearsalDto, RehearsalSpeed, RehearsalStatus } from '@streaming-companion/plugin-rehearsal/contract';
export type { SessionTotals, TipDto } from '@streaming-companion/plugin-tips/contract';
export type { ParticipantAudio, TtsControl, TtsSettings, TtsVoiceDto } from '@streaming-companion/plugin-tts/contract';
export type {
  AlertSettings,
  AlertVariation,
  DisplayUnit,
  MediaDto as WidgetMedia,
  MediaKind as WidgetMediaKind,
  SettingsPart as WidgetSettingsPart,
  TestAlert,
  TestAlertRequest,
  WidgetKind,
  WidgetSettings,
  WidgetSettingsInput,
} from '@streaming-companion/plugin-widgets/contract';
export type {
  DeliveryQuery as WebhookDeliveryQuery,
  DeliveryStatus as WebhookDeliveryStatus,
  WebhookBody,
  WebhookDeliveryDto as WebhookDelivery,
  WebhookDeliveryPage,
  WebhookEndpointDto as WebhookEndpoint,
  WebhookEndpointInput,
  WebhookEndpointPatch,
  WebhookEndpointWithSecret,
  WebhookEventType,
  WebhookEventTypeDto,
} from '@streaming-companion/plugin-webhooks/contract';
