export { AnalyticsConfig } from './config.ts';
export * from './contract.ts';
export { analyticsPlugin } from './plugin.ts';
