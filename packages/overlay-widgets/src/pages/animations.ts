import { AnimationLayer } from '../animation-layer.ts';
import { startOverlayPage } from './page.ts';

startOverlayPage({ 'sc-animation-layer': AnimationLayer });
