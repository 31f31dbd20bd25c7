import { AlertBox } from '../alert-box.ts';
import { AnimationLayer } from '../animation-layer.ts';
import { startOverlayPage } from './page.ts';

startOverlayPage({ 'sc-alert-box': AlertBox, 'sc-animation-layer': AnimationLayer });
