import { Dashboard } from './app.ts';
import { AuthView } from './views/auth-view.ts';
import { GoalsPanel } from './views/goals-panel.ts';
import { HistoryView } from './views/history-view.ts';
import { LiveView } from './views/live-view.ts';
import { NotesPanel } from './views/notes-panel.ts';
import { OverlaysView } from './views/overlays-view.ts';
import { SessionDetail } from './views/session-detail.ts';
import { TipsPanel } from './views/tips-panel.ts';
import { TokensView } from './views/tokens-view.ts';

const elements: Record<string, CustomElementConstructor> = {
  'sc-dashboard': Dashboard,
  'sc-auth-view': AuthView,
  'sc-live-view': LiveView,
  'sc-tips-panel': TipsPanel,
  'sc-goals-panel': GoalsPanel,
  'sc-notes-panel': NotesPanel,
  'sc-overlays-view': OverlaysView,
  'sc-history-view': HistoryView,
  'sc-session-detail': SessionDetail,
  'sc-tokens-view': TokensView,
};
for (const [name, element] of Object.entries(elements)) customElements.define(name, element);
