import { GoalBar } from '../goal-bar.ts';
import { startOverlayPage } from './page.ts';

startOverlayPage({ 'sc-goal-bar': GoalBar });
