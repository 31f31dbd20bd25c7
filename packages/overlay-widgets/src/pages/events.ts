import { EventList } from '../event-list.ts';
import { startOverlayPage } from './page.ts';

startOverlayPage({ 'sc-event-list': EventList });
