import { kernelEvents, type DomainEventRef } from '@streaming-companion/sdk';
import type { goalEvents } from '@streaming-companion/plugin-goals/contract';
import type { menuEvents } from '@streaming-companion/plugin-menu/contract';
import type { tipEvents } from '@streaming-companion/plugin-tips/contract';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType, type WebhookEventTypeDto } from './contract.ts';

const DESCRIPTIONS: Record<WebhookEventType, string> = {
  'streaming.tip.received': 'A tip was recorded (by hand, a bot or a platform connector).',
  'streaming.tip.voided': 'A tip was voided and taken out of the totals.',
  'streaming.goal.completed': 'A goal of a session was reached.',
  'streaming.menu_item.purchased': 'A tip bought an item of the tip menu.',
  'streaming.session.started': 'A session went live.',
  'streaming.session.ended': 'A session ended, with its totals.',
  'streaming.session.viewers': "A session's viewer count, sampled at most once a minute.",
  'streaming.chat.message': 'A viewer wrote in chat during a live session.',
};

/** The plugins' event contracts, each absent when its plugin is not loaded. */
export interface LoadedContracts {
  tips: typeof tipEvents | undefined;
  goals: typeof goalEvents | undefined;
  menu: typeof menuEvents | undefined;
}

/** An event type a creator may pick on this server, and the ref to subscribe to. */
export interface OfferedEvent extends WebhookEventTypeDto {
  ref: DomainEventRef;
}

/** The event types this server offers: the kernel's, and those of the loaded plugins, in the contract's order. */
export function offeredEvents({ tips, goals, menu }: LoadedContracts): OfferedEvent[] {
  const refs: DomainEventRef[] = [
    ...Object.values(kernelEvents.domain),
    ...Object.values(tips?.domain ?? {}),
    ...Object.values(goals?.domain ?? {}),
    ...Object.values(menu?.domain ?? {}),
  ];
  return WEBHOOK_EVENT_TYPES.flatMap((type) => {
    const ref = refs.find((candidate) => candidate.name === type);
    return ref ? [{ type, description: DESCRIPTIONS[type], ref }] : [];
  });
}
