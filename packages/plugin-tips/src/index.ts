export { TipsConfig } from './config.ts';
export { tipsPlugin } from './plugin.ts';
export type { RecordedTip, RecordOptions, TipInput } from './tip-recorder.ts';
export { tipsServiceRef, type TipsService } from './tips-service.ts';
