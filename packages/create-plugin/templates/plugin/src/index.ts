export { StarterKitConfig } from './config.ts';
export * from './contract.ts';
export { HighlightEntity } from './entities/highlight.ts';
export { starterKitPlugin } from './plugin.ts';
