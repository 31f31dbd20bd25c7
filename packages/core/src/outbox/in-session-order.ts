import type { EntityManager } from '@mikro-orm/sql';
import type { DomainEvent, JobContext } from '@streaming-companion/sdk';
import { HandledEvent } from '../entities/handled-event.ts';
import { holds, type Condition } from './conditions.ts';

/** Where an event stands among its session's events of its name (the outbox numbers them in commit order). */
export interface SessionPlace {
  sessionId: string;
  seq: number;
}

type Handler = (event: DomainEvent, ctx: JobContext) => Promise<void> | void;

/** A subscription's handler as its job runs it: the event, and its place when it has one. */
export type QueuedHandler = (event: DomainEvent, ctx: JobContext, place?: SessionPlace) => Promise<void>;

/** The handler in a transaction that records the event as handled; one already recorded is skipped. */
export function once(subscription: string, handler: Handler): QueuedHandler {
  return (event, ctx) =>
    ctx.em.transactional(async (tx) => {
      const em = tx as unknown as EntityManager;
      if (await markHandled(em, subscription, event.id)) await handler(event, { ...ctx, em });
    });
}

/**
 * The handler taking a session's events in commit order, each once. Jobs can run out of that
 * order: two commits' deliveries race, a crashed process's jobs come back only after its claim or
 * lock runs out, a failed attempt waits for its retry. So a job first takes the subscription's
 * cursor on the session (a row lock, held to commit, that also keeps its jobs for one session one
 * at a time) and, when events numbered between the cursor and its own are still pending, handles
 * those first, from the outbox. Each earlier one runs in a savepoint: one that throws is rolled
 * back and left to its own job's retries rather than holding every later event of the session.
 * An earlier event goes through the subscriber's `when` first, as its own job would.
 */
export function inSessionOrder(subscription: string, handler: Handler, when?: Condition): QueuedHandler {
  const handleOnce = once(subscription, handler);
  return (event, ctx, place) => {
    if (!place) return handleOnce(event, ctx);
    return ctx.em.transactional(async (tx) => {
      const em = tx as unknown as EntityManager;
      const [cursor] = await em.execute<Array<{ seq: string | number }>>(TAKE_CURSOR, [subscription, place.sessionId]);
      const reached = Number(cursor!.seq);
      if (place.seq > reached + 1) {
        const earlier = await em.execute<EarlierRow[]>(EARLIER_EVENTS, [place.sessionId, event.name, reached, place.seq, subscription]);
        for (const row of earlier) {
          const missed = toEvent(row);
          try {
            if (when && !(await holds(when, missed, { ...ctx, em }))) continue;
            await handleOnce(missed, { ...ctx, em });
          } catch (err) {
            ctx.log.warn({ err, eventId: missed.id, subscription }, 'an earlier event of the session failed; it is left to its own retries');
          }
        }
      }
      if (await markHandled(em, subscription, event.id)) await handler(event, { ...ctx, em });
      if (place.seq > reached) await em.execute(ADVANCE_CURSOR, [place.seq, subscription, place.sessionId], 'run');
    });
  };
}

async function markHandled(em: EntityManager, subscription: string, eventId: string): Promise<boolean> {
  const recorded = await em.createQueryBuilder(HandledEvent).insert({ subscription, eventId }).onConflict().ignore().execute('run');
  return recorded.affectedRows > 0;
}

// `do update` rather than `do nothing`: it locks the existing row and returns it in one statement.
const TAKE_CURSOR = `
  insert into core_subscriber_cursors (subscription, session_id, seq) values (?, ?, 0)
  on conflict (subscription, session_id) do update set seq = core_subscriber_cursors.seq
  returning seq`;

const ADVANCE_CURSOR = `update core_subscriber_cursors set seq = ? where subscription = ? and session_id = ?`;

// Pending only: every subscription there was is done with a dispatched row (one added since never had it).
const EARLIER_EVENTS = `
  select o.id, o.name, o.payload, o.created_at from core_outbox_events o
  where o.session_id = ? and o.kind = 'domain' and o.name = ? and o.seq > ? and o.seq < ? and o.dispatched_at is null
    and not exists (select 1 from core_handled_events h where h.subscription = ? and h.event_id = o.id)
  order by o.seq`;

interface EarlierRow {
  id: string;
  name: string;
  payload: Record<string, unknown> | string;
  created_at: Date | string;
}

function toEvent(row: EarlierRow): DomainEvent {
  const payload = typeof row.payload === 'string' ? (JSON.parse(row.payload) as Record<string, unknown>) : row.payload;
  return { id: row.id, name: row.name, payload, occurredAt: new Date(row.created_at).toISOString() } as DomainEvent;
}
