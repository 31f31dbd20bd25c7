import { AlertBox } from '../alert-box.ts';
import { AnimationLayer } from '../animation-layer.ts';
import { EventList } from '../event-list.ts';
import { GoalBar } from '../goal-bar.ts';
import { TipMenu } from '../tip-menu.ts';
import { startOverlayPage } from './page.ts';

startOverlayPage({
  'sc-alert-box': AlertBox,
  'sc-goal-bar': GoalBar,
  'sc-event-list': EventList,
  'sc-tip-menu': TipMenu,
  'sc-animation-layer': AnimationLayer,
});
