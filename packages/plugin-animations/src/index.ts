export { AnimationsConfig } from './config.ts';
export * from './contract.ts';
export { AnimationRuleEntity } from './entities/animation-rule.ts';
export { AnimationSettingsEntity } from './entities/animation-settings.ts';
export { AnimationStageEntity } from './entities/animation-stage.ts';
export { animationsPlugin } from './plugin.ts';
