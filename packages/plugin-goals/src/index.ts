export { GoalsConfig } from './config.ts';
export * from './contract.ts';
export { TipGoalEntity, type TipGoalRecord } from './entities/tip-goal.ts';
export { goalsPlugin } from './plugin.ts';
