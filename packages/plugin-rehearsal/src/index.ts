export { RehearsalConfig } from './config.ts';
export * from './contract.ts';
export { RecordedEventEntity } from './entities/recorded-event.ts';
export { RehearsalCueEntity } from './entities/rehearsal-cue.ts';
export { RehearsalEntity } from './entities/rehearsal.ts';
export { rehearsalPlugin } from './plugin.ts';
export { simulateTips, type SimulateOptions } from './simulated-tips.ts';
