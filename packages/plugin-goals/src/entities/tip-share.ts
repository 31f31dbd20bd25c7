import { defineEntity, p } from '@streaming-companion/sdk';

/**
 * What one tip added to one goal (a tip that completes a goal spreads over the next ones), so a
 * voided tip is taken back out of exactly the goals it filled. A menu item's bonus bought by the
 * tip is recorded under the tip too.
 */
export const TipShareEntity = defineEntity({
  name: 'TipShare',
  tableName: 'goals_tip_shares',
  properties: {
    tipId: p.uuid().primary(),
    goalId: p.uuid().primary(),
    creatorId: p.uuid(),
    amountCents: p.bigint('number'),
  },
  checks: [{ name: 'goals_tip_shares_amount_cents_check', expression: 'amount_cents > 0' }],
});
