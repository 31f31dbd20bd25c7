import { defineEntity, p } from '@streaming-companion/sdk';
import { CLAIM_SCOPES } from '../claims.ts';

/** When something was last claimed: a cooldown, a timer run, an event answered (see claims.ts). */
export const ChatbotClaimEntity = defineEntity({
  name: 'ChatbotClaim',
  tableName: 'chatbot_claims',
  properties: {
    key: p.text().primary(),
    scope: p.enum(CLAIM_SCOPES),
    claimedAt: p.datetime(),
  },
  indexes: [{ name: 'chatbot_claims_scope_claimed_idx', properties: ['scope', 'claimedAt'] }],
});
