import { Leaderboard } from '../leaderboard.ts';
import { startOverlayPage } from './page.ts';

startOverlayPage({ 'sc-leaderboard': Leaderboard });
