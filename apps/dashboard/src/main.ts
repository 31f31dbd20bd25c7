import { Dashboard } from './app.ts';
import { AnalyticsView } from './views/analytics-view.ts';
import { AnimationPlayPanel } from './views/animation-play-panel.ts';
import { AnimationRulesPanel } from './views/animation-rules-panel.ts';
import { AnimationSettingsPanel } from './views/animation-settings-panel.ts';
import { AnimationsView } from './views/animations-view.ts';
import { AuthView } from './views/auth-view.ts';
import { ChartCanvas } from './views/chart-canvas.ts';
import { ChatPanel } from './views/chat-panel.ts';
import { ChatbotTryPanel } from './views/chatbot-try-panel.ts';
import { ChatbotView } from './views/chatbot-view.ts';
import { DisplayUnitPanel } from './views/display-unit-panel.ts';
import { GoalsPanel } from './views/goals-panel.ts';
import { HistoryView } from './views/history-view.ts';
import { LiveView } from './views/live-view.ts';
import { MenuView } from './views/menu-view.ts';
import { NotesPanel } from './views/notes-panel.ts';
import { OverlayPreview } from './views/overlay-preview.ts';
import { OverlaySources } from './views/overlay-sources.ts';
import { PersonaEditor } from './views/persona-editor.ts';
import { PersonaTemplates } from './views/persona-templates.ts';
import { PlatformsView } from './views/platforms-view.ts';
import { RehearsalView } from './views/rehearsal-view.ts';
import { SessionDetail } from './views/session-detail.ts';
import { SessionSummary } from './views/session-summary.ts';
import { TipVoidControl } from './views/tip-void-control.ts';
import { TipsPanel } from './views/tips-panel.ts';
import { TokensView } from './views/tokens-view.ts';
import { TtsControls } from './views/tts-controls.ts';
import { VoiceView } from './views/voice-view.ts';
import { WebhookDeliveries } from './views/webhook-deliveries.ts';
import { WebhooksView } from './views/webhooks-view.ts';
import { WidgetPanel } from './views/widget-panel.ts';
import { WidgetsView } from './views/widgets-view.ts';

const elements: Record<string, CustomElementConstructor> = {
  'sc-dashboard': Dashboard,
  'sc-auth-view': AuthView,
  'sc-live-view': LiveView,
  'sc-tips-panel': TipsPanel,
  'sc-tip-void': TipVoidControl,
  'sc-goals-panel': GoalsPanel,
  'sc-notes-panel': NotesPanel,
  'sc-menu-view': MenuView,
  'sc-animations-view': AnimationsView,
  'sc-animation-play': AnimationPlayPanel,
  'sc-animation-rules': AnimationRulesPanel,
  'sc-animation-settings': AnimationSettingsPanel,
  'sc-widgets-view': WidgetsView,
  'sc-widget-panel': WidgetPanel,
  'sc-display-unit-panel': DisplayUnitPanel,
  'sc-overlay-sources': OverlaySources,
  'sc-overlay-preview': OverlayPreview,
  'sc-rehearsal-view': RehearsalView,
  'sc-platforms-view': PlatformsView,
  'sc-chatbot-view': ChatbotView,
  'sc-persona-editor': PersonaEditor,
  'sc-persona-templates': PersonaTemplates,
  'sc-chatbot-try': ChatbotTryPanel,
  'sc-chat-panel': ChatPanel,
  'sc-voice-view': VoiceView,
  'sc-tts-controls': TtsControls,
  'sc-history-view': HistoryView,
  'sc-session-detail': SessionDetail,
  'sc-session-summary': SessionSummary,
  'sc-analytics-view': AnalyticsView,
  'sc-chart': ChartCanvas,
  'sc-webhooks-view': WebhooksView,
  'sc-webhook-deliveries': WebhookDeliveries,
  'sc-tokens-view': TokensView,
};
for (const [name, element] of Object.entries(elements)) customElements.define(name, element);
