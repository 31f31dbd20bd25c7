import { TipMenu } from '../tip-menu.ts';
import { startOverlayPage } from './page.ts';

startOverlayPage({ 'sc-tip-menu': TipMenu });
