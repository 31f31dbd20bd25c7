import { describe, expect, it } from 'vitest';
import { NAV, parseRoute } from '../src/routes.ts';

describe('parseRoute', () => {
  it('reads every view from the fragment, and falls back to the live view', () => {
    expect(parseRoute('#/menu')).toEqual({ view: 'menu' });
    expect(parseRoute('#/animations')).toEqual({ view: 'animations' });
    expect(parseRoute('#/analytics')).toEqual({ view: 'analytics' });
    expect(parseRoute('#/rehearsal')).toEqual({ view: 'rehearsal' });
    expect(parseRoute('#/platforms')).toEqual({ view: 'platforms' });
    expect(parseRoute('#/chatbot')).toEqual({ view: 'chatbot' });
    expect(parseRoute('#/voice')).toEqual({ view: 'voice' });
    expect(parseRoute('#/webhooks')).toEqual({ view: 'webhooks' });
    expect(parseRoute('#/history/abc')).toEqual({ view: 'history', sessionId: 'abc' });
    expect(parseRoute('#/history')).toEqual({ view: 'history', sessionId: undefined });
    expect(parseRoute('#/widgets')).toEqual({ view: 'widgets', tab: undefined });
    expect(parseRoute('#/widgets/alerts')).toEqual({ view: 'widgets', tab: 'alerts' });
    expect(parseRoute('#/overlays')).toEqual({ view: 'widgets', tab: 'sources' });
    expect(parseRoute('')).toEqual({ view: 'live' });
    expect(parseRoute('#/nowhere')).toEqual({ view: 'live' });
  });

  it('has a nav entry for every signed-in view, each reachable by its route', () => {
    expect(NAV.map((item) => item.label)).toEqual(['Live', 'Menu', 'Animations', 'Widgets', 'Rehearsal', 'Platforms', 'Chatbot', 'Voice', 'History', 'Analytics', 'Webhooks', 'API tokens']);
    for (const item of NAV) expect(parseRoute(`#/${item.view}`).view).toBe(item.view);
  });
});
