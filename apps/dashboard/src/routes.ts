/** Hash routes, so the server only ever serves `/` and a reload keeps the view. */
export type Route =
  | { view: 'login' }
  | { view: 'signup' }
  | { view: 'live' }
  | { view: 'menu' }
  | { view: 'animations' }
  | { view: 'overlays' }
  | { view: 'rehearsal' }
  | { view: 'platforms' }
  | { view: 'chatbot' }
  | { view: 'voice' }
  | { view: 'history'; sessionId?: string }
  | { view: 'analytics' }
  | { view: 'tokens' };

export function parseRoute(hash: string): Route {
  const [view, id] = hash.replace(/^#\/?/, '').split('/');
  switch (view) {
    case 'login':
    case 'signup':
    case 'menu':
    case 'animations':
    case 'overlays':
    case 'rehearsal':
    case 'platforms':
    case 'chatbot':
    case 'voice':
    case 'analytics':
    case 'tokens':
      return { view };
    case 'history':
      return { view, sessionId: id || undefined };
    default:
      return { view: 'live' };
  }
}

export const NAV: Array<{ view: Route['view']; label: string }> = [
  { view: 'live', label: 'Live' },
  { view: 'menu', label: 'Menu' },
  { view: 'animations', label: 'Animations' },
  { view: 'overlays', label: 'Overlays' },
  { view: 'rehearsal', label: 'Rehearsal' },
  { view: 'platforms', label: 'Platforms' },
  { view: 'chatbot', label: 'Chatbot' },
  { view: 'voice', label: 'Voice' },
  { view: 'history', label: 'History' },
  { view: 'analytics', label: 'Analytics' },
  { view: 'tokens', label: 'API tokens' },
];
