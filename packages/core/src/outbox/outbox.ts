import { setTimeout as sleep } from 'node:timers/promises';
import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { preparedQuery } from '@streaming-companion/sdk';
import { CompiledQuery, type Kysely } from 'kysely';
import { OutboxEvent, type BroadcastTarget } from '../entities/outbox-event.ts';
import { withCommit } from '../database/prepared-statements.ts';
import type { PinoLogger } from '../logger.ts';

/**
 * A row to write: a domain event, or a broadcast to a session's or a creator's sockets. A domain
 * event of a session is numbered among that session's events of its name, for subscribers that
 * handle them in order.
 */
export type OutboxEntry =
  | { kind: 'domain'; name: string; payload: object; sessionId?: string }
  | { kind: 'realtime'; name: string; payload: object; target: BroadcastTarget };

/** A committed row, as delivery sees it. */
export interface OutboxRow {
  id: string;
  kind: 'domain' | 'realtime';
  name: string;
  payload: Record<string, unknown>;
  target: BroadcastTarget | null;
  sessionId: string | null;
  /** A broadcast's place among its session's broadcasts; a domain event's among its session's events of that name. */
  seq: number | null;
  createdAt: Date;
}

export interface OutboxDelivery {
  /** Answers whether the row is done with; false while in-process subscribers still hold it. */
  domain(row: OutboxRow): Promise<boolean>;
  realtime(row: OutboxRow): void;
}

export interface OutboxOptions {
  forkEm: () => EntityManager;
  log: PinoLogger;
  delivery: OutboxDelivery;
  /**
   * Deliver right after each commit (the default). Off, rows wait for a sweep or the next boot,
   * as if the process had died between commit and delivery: tests use it to prove nothing is lost.
   */
  deliverAfterCommit?: boolean;
}

const BATCH = 200;
/**
 * How long a delivered row waits to be marked, so that rows finishing close together (a tip's
 * broadcast and its event, the tips of a busy second) share one statement. A crash in between
 * delivers them again: broadcasts carry their sequence number, which clients use to drop
 * repeats, and subscribers run at least once anyway.
 */
const MARK_AFTER_MS = 20;
/**
 * How long a claimed row is left to the instance delivering it before another may take it over.
 * Rows are claimed by their writer as they are written, so this is also how late a broadcast
 * can be when its instance dies between commit and delivery.
 */
const CLAIM_SECONDS = 10;

type Transaction = object & { savepointName?: string };

/**
 * The transactional outbox. Rows published inside a transaction are held in memory and written
 * in one statement just before it commits (which also hands each session broadcast the
 * session's next sequence number, so that counter's lock is the last one taken and the
 * shortest held). They are written claimed by their writer, which delivers them right after
 * the commit (domain events to their subscribers' jobs, broadcasts to the sockets) and marks
 * them dispatched. A crash before that leaves them pending; once the claim expires, a delivery
 * pass on any instance (on the sweep timer, at boot) claims and delivers them: at least once,
 * never lost.
 */
export class Outbox {
  readonly #o: OutboxOptions;
  /** Rows of open top-level transactions, written at their commit. */
  readonly #held = new WeakMap<Transaction, OutboxEntry[]>();
  /** Rows written (and claimed) by transactions not yet committed: delivered once they are. */
  readonly #written = new WeakMap<Transaction, Promise<OutboxRow[]>>();
  /** Rows written straight away inside a savepoint, whose top-level commit we cannot tell apart. */
  #looseWrites = false;
  #lastCreatedAt = 0;
  #running: Promise<void> | undefined;
  #again = false;
  #sweep: NodeJS.Timeout | undefined;
  /** Deliveries started by commits, waited for on stop. */
  readonly #delivering = new Set<Promise<void>>();
  /** Delivered rows waiting to be marked, in one statement for all that finish together. */
  #toMark: string[] = [];
  #marking: Promise<void> | undefined;

  constructor(options: OutboxOptions) {
    this.#o = options;
  }

  /** Add a row in `em`'s transaction (written at its commit), or write and deliver it now outside one. */
  async add(em: EntityManager, entry: OutboxEntry): Promise<void> {
    const trx = em.getTransactionContext<Transaction>();
    if (trx && !trx.savepointName) {
      const held = this.#held.get(trx);
      if (held) held.push(entry);
      else this.#held.set(trx, [entry]);
      return;
    }
    // A savepoint can roll back on its own, so its rows go in with it, unclaimed, for the next pass after a commit.
    if (trx) {
      await this.#write(em, [entry], trx, false);
      this.#looseWrites = true;
      return;
    }
    // Outside a transaction the row commits at once.
    const rows = await this.#write(em, [entry], undefined, this.#deliversOwnRows);
    if (this.#deliversOwnRows) await this.#deliver(rows);
  }

  /** The ORM hooks: write held rows before commit, deliver after. */
  subscriber(): EventSubscriber {
    return {
      beforeTransactionCommit: async ({ em, transaction }: TransactionEventArgs) => {
        const trx = transaction as Transaction | undefined;
        const held = trx && this.#held.get(trx);
        if (!trx || !held?.length) return;
        this.#held.delete(trx);
        // On PostgreSQL the write goes out with the commit: once it is held, the commit may come
        // (and fails if the write does). Anywhere else a failed write must fail here, before the commit.
        const writing = withCommit(() => this.#write(em as unknown as EntityManager, held, trx, this.#deliversOwnRows));
        writing.result.catch(() => {});
        this.#written.set(trx, writing.result);
        await Promise.race([writing.result, writing.held]);
      },
      afterTransactionCommit: ({ transaction }: TransactionEventArgs) => {
        const trx = transaction as Transaction | undefined;
        if (!trx || trx.savepointName) return;
        const written = this.#written.get(trx);
        this.#written.delete(trx);
        // Committed, so written: the write went out before or with the commit.
        if (written && this.#deliversOwnRows) this.#track(written.then((rows) => this.#deliver(rows)));
        if (this.#looseWrites) {
          this.#looseWrites = false;
          void this.dispatch();
        }
      },
      afterTransactionRollback: ({ transaction }: TransactionEventArgs) => {
        if (!transaction) return;
        this.#held.delete(transaction as Transaction);
        this.#written.delete(transaction as Transaction);
      },
    };
  }

  /** Deliver everything pending and unclaimed (or claimed too long ago). Concurrent calls coalesce into one more pass. */
  dispatch(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          while ((await this.#pass()) === BATCH);
        } while (this.#again);
        await this.#marking;
      } catch (error) {
        this.#o.log.error({ err: error }, 'outbox delivery failed; the sweep will retry');
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  /** Catch rows another instance crashed on, or whose claim expired. */
  startSweep(intervalMs: number): void {
    this.#sweep = setInterval(() => void this.dispatch(), intervalMs);
    this.#sweep.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#sweep);
    await Promise.all([this.#running, ...this.#delivering]);
    await this.#marking;
  }

  /** Let the next delivery pass take every pending row, whoever claimed it. */
  async releaseClaims(): Promise<void> {
    await this.#o.forkEm().execute(`update core_outbox_events set claimed_until = null where dispatched_at is null and claimed_until is not null`, [], 'run');
  }

  async pendingCount(): Promise<number> {
    return this.#o.forkEm().count(OutboxEvent, { dispatchedAt: null });
  }

  /** Mark rows dispatched, shortly: rows finishing together share one statement. */
  markDispatched(ids: readonly string[]): Promise<void> {
    this.#toMark.push(...ids);
    if (!this.#marking && this.#toMark.length) this.#marking = this.#markQueued();
    return this.#marking ?? Promise.resolve();
  }

  async #markQueued(): Promise<void> {
    try {
      await sleep(MARK_AFTER_MS);
      while (this.#toMark.length) {
        const batch = this.#toMark.splice(0);
        // Prepared, not the ORM's update: every delivered row passes here.
        await preparedQuery(this.#o.forkEm(), MARK_DISPATCHED, [JSON.stringify(batch)]);
      }
    } catch (error) {
      // Left pending with their claim, they are delivered again once it expires: at least once.
      this.#o.log.error({ err: error }, 'could not mark outbox rows dispatched');
    } finally {
      this.#marking = undefined;
    }
  }

  #track(delivery: Promise<void>): void {
    this.#delivering.add(delivery);
    void delivery.finally(() => this.#delivering.delete(delivery));
  }

  get #deliversOwnRows(): boolean {
    return this.#o.deliverAfterCommit !== false;
  }

  /**
   * Deliver rows in order and mark those done (domain rows are marked once their subscribers have
   * settled). Broadcasts go first: they reach sockets at once, while handing a domain event to its
   * job waits on Redis, and the two never depend on each other's order.
   */
  async #deliver(rows: readonly OutboxRow[]): Promise<void> {
    const done: string[] = [];
    try {
      for (const row of rows) {
        if (row.kind !== 'realtime') continue;
        this.#o.delivery.realtime(row);
        done.push(row.id);
      }
      for (const row of rows) if (row.kind === 'domain' && (await this.#o.delivery.domain(row))) done.push(row.id);
    } catch (error) {
      this.#o.log.error({ err: error }, 'outbox delivery failed; the rows are delivered again once their claim expires');
    }
    await this.markDispatched(done);
  }

  /**
   * One statement for all of a transaction's rows. Session broadcasts, and a session's domain
   * events of each name, take their sequence numbers from `core_session_sequences` in the same
   * statement, in publish order (the statement locks its rows in key order). Rows
   * dispatch in `created_at` order, which has millisecond resolution: it is kept strictly
   * increasing so rows published together are delivered in publish order.
   */
  async #write(em: EntityManager, entries: OutboxEntry[], trx: Transaction | undefined, claim: boolean): Promise<OutboxRow[]> {
    const rows: OutboxRow[] = entries.map((entry) => {
      this.#lastCreatedAt = Math.max(Date.now(), this.#lastCreatedAt + 1);
      const target = entry.kind === 'realtime' ? entry.target : null;
      const sessionId = (entry.kind === 'realtime' ? target?.sessionId : entry.sessionId) ?? null;
      const { kind, name } = entry;
      return { id: crypto.randomUUID(), kind, name, payload: entry.payload as Record<string, unknown>, target, sessionId, seq: null, createdAt: new Date(this.#lastCreatedAt) };
    });
    const json = JSON.stringify(
      rows.map((row, ord) => ({ id: row.id, kind: row.kind, name: row.name, payload: row.payload, target: row.target, session_id: row.sessionId, stream: streamOf(row), created_at: row.createdAt, ord })),
    );
    // The transaction's own connection: the ORM may not have made it `em`'s yet in a commit hook.
    const on = (trx as Kysely<unknown> | undefined) ?? em.getKysely();
    const { rows: seqs } = await on.executeQuery<{ id: string; seq: string | number | null }>(CompiledQuery.raw(WRITE_ROWS, [json, claim ? CLAIM_SECONDS : null]));
    const seqOf = new Map(seqs.map(({ id, seq }) => [id, seq === null ? null : Number(seq)]));
    for (const row of rows) row.seq = seqOf.get(row.id) ?? null;
    return rows;
  }

  /** Claim a batch of pending rows, deliver them in order, mark the delivered ones. Answers how many it claimed. */
  async #pass(): Promise<number> {
    const em = this.#o.forkEm();
    const claimed = await em.execute<ClaimedRow[]>(CLAIM_ROWS, [CLAIM_SECONDS, BATCH]);
    await this.#deliver(claimed.map(toRow).sort(deliveryOrder));
    return claimed.length;
  }
}

/** Which of its session's sequences a row is numbered in: '' for broadcasts, the event's name for domain events. */
const streamOf = (row: Pick<OutboxRow, 'kind' | 'name'>): string => (row.kind === 'realtime' ? '' : row.name);

/**
 * Delete rows delivered more than this many days ago: nothing reads a delivered row again, and
 * without this the table grows by a few rows a tip for as long as the server runs. Pending rows
 * stay, however old.
 */
export async function pruneDeliveredRows(em: EntityManager, olderThanDays: number): Promise<number> {
  return em.nativeDelete(OutboxEvent, { dispatchedAt: { $lt: new Date(Date.now() - olderThanDays * 86_400_000) } });
}

/**
 * Delete the numbering of sessions that ended more than this many days ago, or no longer exist
 * (their creator was deleted): their sequences and in-session-order cursors, a few rows a session
 * for as long as the server runs otherwise. Nothing numbers a session's events once it is over;
 * should a late one come, its sequence and cursors start afresh, which is safe: every earlier
 * event is long dispatched, and a cursor only looks for pending ones.
 */
export async function pruneEndedSessionNumbering(em: EntityManager, olderThanDays: number): Promise<number> {
  const [row] = await em.execute<Array<{ removed: string | number }>>(PRUNE_ENDED_SESSION_NUMBERING, [olderThanDays, olderThanDays]);
  return Number(row!.removed);
}

const STILL_NUMBERED = (alias: string) =>
  `exists (select 1 from core_stream_sessions s where s.id = ${alias}.session_id and (s.ended_at is null or s.ended_at > now() - make_interval(days => ?)))`;

const PRUNE_ENDED_SESSION_NUMBERING = `
  with cursors as (
    delete from core_subscriber_cursors c where not ${STILL_NUMBERED('c')} returning 1
  ), sequences as (
    delete from core_session_sequences q where not ${STILL_NUMBERED('q')} returning 1
  )
  select (select count(*) from cursors) + (select count(*) from sequences) as removed`;

// clock_timestamp(), not now(): now() is when the transaction began, and a claim must run from the write.
const WRITE_ROWS = `
  with rows as (
    select * from jsonb_to_recordset($1::jsonb)
      as r(id uuid, kind text, name text, payload jsonb, target jsonb, session_id uuid, stream text, created_at timestamptz, ord int)
  ), seqs as (
    insert into core_session_sequences (session_id, stream, seq)
    select session_id, stream, count(*) from rows where session_id is not null group by session_id, stream order by session_id, stream
    on conflict (session_id, stream) do update set seq = core_session_sequences.seq + excluded.seq
    returning session_id, stream, seq
  )
  insert into core_outbox_events (id, kind, name, payload, target, session_id, seq, created_at, claimed_until)
  select r.id, r.kind, r.name, r.payload, r.target, r.session_id,
    s.seq - (count(*) over w - row_number() over (w order by r.ord)),
    r.created_at, clock_timestamp() + make_interval(secs => $2)
  from rows r left join seqs s on s.session_id = r.session_id and s.stream = r.stream
  window w as (partition by r.session_id, r.stream)
  returning id, seq`;

// By key alone: a test of dispatched_at here let PostgreSQL combine the key with the pending
// index, which until the next vacuum still holds an entry for every row marked since (thousands
// under load), all read again by each mark. A row marked before keeps its time.
const MARK_DISPATCHED = `
  update core_outbox_events set dispatched_at = coalesce(dispatched_at, now()), claimed_until = null
  where id = any(array(select jsonb_array_elements_text(?::jsonb)::uuid))`;

const CLAIM_ROWS = `
  update core_outbox_events set claimed_until = clock_timestamp() + make_interval(secs => ?)
  where id in (
    select id from core_outbox_events
    where dispatched_at is null and (claimed_until is null or claimed_until < clock_timestamp())
    order by created_at limit ? for update skip locked
  )
  returning id, kind, name, payload, target, session_id, seq, created_at`;

interface ClaimedRow {
  id: string;
  kind: 'domain' | 'realtime';
  name: string;
  payload: Record<string, unknown> | string;
  target: BroadcastTarget | string | null;
  session_id: string | null;
  seq: string | number | null;
  created_at: Date | string;
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

function toRow(row: ClaimedRow): OutboxRow {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    payload: json(row.payload),
    target: row.target === null ? null : json(row.target),
    sessionId: row.session_id,
    seq: row.seq === null ? null : Number(row.seq),
    createdAt: new Date(row.created_at),
  };
}

/** Publish order; rows of one session's sequence strictly by their number. */
function deliveryOrder(a: OutboxRow, b: OutboxRow): number {
  if (a.sessionId && a.sessionId === b.sessionId && streamOf(a) === streamOf(b) && a.seq !== null && b.seq !== null) return a.seq - b.seq;
  return a.createdAt.getTime() - b.createdAt.getTime();
}
