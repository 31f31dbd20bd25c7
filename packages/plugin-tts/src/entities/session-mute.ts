import { defineEntity, p } from '@streaming-companion/sdk';

/** A session whose speech the creator muted: nothing is queued for it until they unmute. */
export const SessionMuteEntity = defineEntity({
  name: 'TtsSessionMute',
  tableName: 'tts_session_mutes',
  properties: {
    sessionId: p.uuid().primary(),
    creatorId: p.uuid(),
    mutedAt: p.datetime(),
  },
});
