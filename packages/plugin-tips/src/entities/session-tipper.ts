import { defineEntity, p } from '@streaming-companion/sdk';

/** One row per distinct tipper in a session: inserting tells, race-free, whether a tipper is new. */
export const SessionTipperEntity = defineEntity({
  name: 'SessionTipper',
  tableName: 'tips_session_tippers',
  properties: {
    sessionId: p.uuid().primary(),
    tipperKey: p.text().primary(),
  },
});
