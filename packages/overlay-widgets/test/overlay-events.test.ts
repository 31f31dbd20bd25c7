import type { OVERLAY_EVENTS, ServerToClientEvents } from '@streaming-companion/sdk';
import { describe, expect, it } from 'vitest';
import { OVERLAY_EVENT_NAMES, type OverlayEvents } from '../src/overlay-events.ts';

// Compile-time: what the server emits must be assignable to what the widgets read
// (checked by `tsc`, which includes this file). A renamed or retyped field breaks the build.
type Sent<E extends keyof OverlayEvents> = E extends keyof ServerToClientEvents ? ServerToClientEvents[E] : never;
type Compatible = { [E in keyof OverlayEvents]: Sent<E> extends OverlayEvents[E] ? true : false };
const compatible: Compatible = {
  session_updated: true,
  tip_received: true,
  goal_progress: true,
  goal_completed: true,
  animation_trigger: true,
  chat_participant_audio: true,
};
// Every overlay event the server lists, except the tip menu, has a widget listening.
type Unheard = Exclude<(typeof OVERLAY_EVENTS)[number], keyof OverlayEvents | 'menu_updated'>;
const unheard: Unheard[] = [];

describe('overlay events', () => {
  it('mirror the SDK event map', () => {
    expect(Object.values(compatible).every(Boolean)).toBe(true);
    expect(unheard).toEqual([]);
    expect([...OVERLAY_EVENT_NAMES].sort()).toEqual(Object.keys(compatible).sort());
  });
});
