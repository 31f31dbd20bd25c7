export { AnalyticsConfig } from './config.ts';
export * from './contract.ts';
export { neutralise } from './csv-export.ts';
export { AnalyticsSessionEntity } from './entities/analytics-session.ts';
export { AnalyticsTipEntity } from './entities/analytics-tip.ts';
export { GoalCompletionEntity, MenuSaleEntity, SessionAmountEntity, SessionTipperEntity, TipBucketEntity, ViewerSampleEntity } from './entities/rollups.ts';
export { analyticsPlugin } from './plugin.ts';
export { median } from './reports.ts';
