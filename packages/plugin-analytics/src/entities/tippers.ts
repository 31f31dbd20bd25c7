import { defineEntity, p } from '@streaming-companion/sdk';

/** How many tippers a creator has numbered: the next one gets this number. */
export const AnalyticsCreatorEntity = defineEntity({
  name: 'AnalyticsCreator',
  tableName: 'analytics_creators',
  properties: {
    creatorId: p.uuid().primary(),
    tipperCount: p.integer(),
  },
});

/**
 * A creator's named tippers, numbered 0, 1, 2… in the order they first tipped: one person
 * however they capitalise their name (the key is the name lowercased), and a small number to
 * stand for them in the rollups and in each period's set of tippers (a bit per number).
 */
export const TipperEntity = defineEntity({
  name: 'AnalyticsTipper',
  tableName: 'analytics_tippers',
  properties: {
    creatorId: p.uuid().primary(),
    tipperNo: p.integer().primary(),
    tipperKey: p.text(),
    /** As they last wrote it. */
    tipperName: p.text(),
    lastTipAt: p.datetime(),
  },
  uniques: [{ name: 'analytics_tippers_key_idx', properties: ['creatorId', 'tipperKey'] }],
});
