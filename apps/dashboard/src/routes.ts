/** Hash routes, so the server only ever serves `/` and a reload keeps the view. */
export type Route =
  | { view: 'login' }
  | { view: 'signup' }
  | { view: 'live' }
  | { view: 'menu' }
  | { view: 'animations' }
  | { view: 'widgets'; tab?: string }
  | { view: 'rehearsal' }
  | { view: 'platforms' }
  | { view: 'chatbot' }
  | { view: 'voice' }
  | { view: 'history'; sessionId?: string }
  | { view: 'analytics' }
  | { view: 'webhooks' }
  | { view: 'tokens' };

export function parseRoute(hash: string): Route {
  const [view, id] = hash.replace(/^#\/?/, '').split('/');
  switch (view) {
    case 'login':
    case 'signup':
    case 'menu':
    case 'animations':
    case 'rehearsal':
    case 'platforms':
    case 'chatbot':
    case 'voice':
    case 'analytics':
    case 'webhooks':
    case 'tokens':
      return { view };
    case 'history':
      return { view, sessionId: id || undefined };
    case 'widgets':
      return { view, tab: id || undefined };
    // Where the OBS URLs were before the Widgets view took them in: old bookmarks still land on them.
    case 'overlays':
      return { view: 'widgets', tab: 'sources' };
    default:
      return { view: 'live' };
  }
}

export const NAV: Array<{ view: Route['view']; label: string }> = [
  { view: 'live', label: 'Live' },
  { view: 'menu', label: 'Menu' },
  { view: 'animations', label: 'Animations' },
  { view: 'widgets', label: 'Widgets' },
  { view: 'rehearsal', label: 'Rehearsal' },
  { view: 'platforms', label: 'Platforms' },
  { view: 'chatbot', label: 'Chatbot' },
  { view: 'voice', label: 'Voice' },
  { view: 'history', label: 'History' },
  { view: 'analytics', label: 'Analytics' },
  { view: 'webhooks', label: 'Webhooks' },
  { view: 'tokens', label: 'API tokens' },
];
