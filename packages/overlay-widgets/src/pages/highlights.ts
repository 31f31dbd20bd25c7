import { TipHighlights } from '../tip-highlights.ts';
import { startOverlayPage } from './page.ts';

startOverlayPage({ 'sc-tip-highlights': TipHighlights });
