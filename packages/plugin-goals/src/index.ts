export { GoalsConfig } from './config.ts';
export type { GoalProgress } from './goal-progress.ts';
export { goalsServiceRef, type GoalsService } from './goals-service.ts';
export { goalsPlugin } from './plugin.ts';
export { GOAL_STATUSES, TipGoalDto, type GoalStatus, type TipGoal } from './schemas.ts';
