export { WebhooksConfig } from './config.ts';
export * from './contract.ts';
export { createWebhooksPlugin, webhooksPlugin, type WebhooksPluginOptions } from './plugin.ts';
export type { ResolveHost, ResolvedAddress } from './target-guard.ts';
