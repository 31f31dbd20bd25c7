export { TipsConfig } from './config.ts';
export * from './contract.ts';
export { SessionTipperEntity } from './entities/session-tipper.ts';
export { StreamTipEntity, type StreamTip } from './entities/stream-tip.ts';
export { tipsPlugin } from './plugin.ts';
