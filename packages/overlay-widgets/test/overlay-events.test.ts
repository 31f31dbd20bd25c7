import { describe, expect, it } from 'vitest';
import { OVERLAY_EVENT_NAMES } from '../src/overlay-events.ts';

describe('overlay events', () => {
  it('listens to every overlay event the loaded plugins own', () => {
    expect([...OVERLAY_EVENT_NAMES].sort()).toEqual([
      'animation_trigger',
      'chat_participant_audio',
      'goal_completed',
      'goal_progress',
      'menu_item_purchased',
      'menu_updated',
      'session_updated',
      'test_alert',
      'tip_received',
      'tip_voided',
      'tips_snapshot',
      'tts_control',
      'widget_settings',
    ]);
  });
});
