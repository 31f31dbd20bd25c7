import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { OutboxEvent, type BroadcastTarget } from '../entities/outbox-event.ts';
import type { PinoLogger } from '../logger.ts';

/** A row to write: a domain event, or a broadcast to a session's or a creator's sockets. */
export type OutboxEntry =
  | { kind: 'domain'; name: string; payload: object }
  | { kind: 'realtime'; name: string; payload: object; target: BroadcastTarget };

/** A committed row, as delivery sees it. */
export interface OutboxRow {
  id: string;
  kind: 'domain' | 'realtime';
  name: string;
  payload: Record<string, unknown>;
  target: BroadcastTarget | null;
  sessionId: string | null;
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
/** How long a claimed row is left to the instance delivering it before another may take it over. */
const CLAIM_SECONDS = 30;

type Transaction = object & { savepointName?: string };

/**
 * The transactional outbox. Rows published inside a transaction are held in memory and written
 * in one statement just before it commits (which also hands each session broadcast the
 * session's next sequence number, so that counter's lock is the last one taken and the
 * shortest held); after commit, a delivery pass claims pending rows, delivers them (domain
 * events to their subscribers' jobs, broadcasts to the sockets) and marks them dispatched.
 * A crash anywhere leaves rows pending or their claim expiring, and the next pass on any
 * instance (after a commit, on the sweep timer, at boot) delivers them: at least once, never lost.
 */
export class Outbox {
  readonly #o: OutboxOptions;
  /** Rows of open top-level transactions, written at their commit. */
  readonly #held = new WeakMap<Transaction, OutboxEntry[]>();
  /** Transactions that wrote rows: their commit starts a delivery pass. */
  readonly #wrote = new WeakSet<Transaction>();
  /** Rows written straight away inside a savepoint, whose top-level commit we cannot tell apart. */
  #looseWrites = false;
  #lastCreatedAt = 0;
  #running: Promise<void> | undefined;
  #again = false;
  #sweep: NodeJS.Timeout | undefined;

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
    // A savepoint can roll back on its own, so its rows go in with it; outside a transaction the row commits at once.
    await this.#write(em, [entry], trx);
    if (trx) this.#looseWrites = true;
    else this.#afterCommit();
  }

  /** The ORM hooks: write held rows before commit, deliver after. */
  subscriber(): EventSubscriber {
    return {
      beforeTransactionCommit: async ({ em, transaction }: TransactionEventArgs) => {
        const trx = transaction as Transaction | undefined;
        const held = trx && this.#held.get(trx);
        if (!trx || !held?.length) return;
        this.#held.delete(trx);
        await this.#write(em as unknown as EntityManager, held, trx);
        this.#wrote.add(trx);
      },
      afterTransactionCommit: ({ transaction }: TransactionEventArgs) => {
        const trx = transaction as Transaction | undefined;
        if (!trx || trx.savepointName) return;
        if (!this.#wrote.has(trx) && !this.#looseWrites) return;
        this.#wrote.delete(trx);
        this.#looseWrites = false;
        this.#afterCommit();
      },
      afterTransactionRollback: ({ transaction }: TransactionEventArgs) => {
        if (transaction) this.#held.delete(transaction as Transaction);
      },
    };
  }

  /** Deliver everything pending. Concurrent calls coalesce into one more pass. */
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
    await this.#running;
  }

  async pendingCount(): Promise<number> {
    return this.#o.forkEm().count(OutboxEvent, { dispatchedAt: null });
  }

  async markDispatched(ids: string[]): Promise<void> {
    if (ids.length) await this.#o.forkEm().nativeUpdate(OutboxEvent, { id: { $in: ids }, dispatchedAt: null }, { dispatchedAt: new Date(), claimedUntil: null });
  }

  #afterCommit(): void {
    if (this.#o.deliverAfterCommit !== false) void this.dispatch();
  }

  /**
   * One statement for all of a transaction's rows. Session broadcasts take their sequence
   * numbers from `core_session_sequences` in the same statement, in publish order. Rows
   * dispatch in `created_at` order, which has millisecond resolution: it is kept strictly
   * increasing so rows published together are delivered in publish order.
   */
  async #write(em: EntityManager, entries: OutboxEntry[], trx: Transaction | undefined): Promise<void> {
    const rows = entries.map((entry, ord) => {
      this.#lastCreatedAt = Math.max(Date.now(), this.#lastCreatedAt + 1);
      const target = entry.kind === 'realtime' ? entry.target : null;
      return {
        id: crypto.randomUUID(),
        kind: entry.kind,
        name: entry.name,
        payload: entry.payload,
        target,
        session_id: target?.sessionId ?? null,
        created_at: new Date(this.#lastCreatedAt).toISOString(),
        ord,
      };
    });
    await em.getConnection('write').execute(WRITE_ROWS, [JSON.stringify(rows)], 'run', trx as never);
  }

  /** Claim a batch of pending rows, deliver them in order, mark the delivered ones. Answers how many it claimed. */
  async #pass(): Promise<number> {
    const em = this.#o.forkEm();
    const claimed = await em.execute<ClaimedRow[]>(CLAIM_ROWS, [CLAIM_SECONDS, BATCH]);
    const rows = claimed.map(toRow).sort(deliveryOrder);
    const done: string[] = [];
    for (const row of rows) {
      if (row.kind === 'realtime') {
        this.#o.delivery.realtime(row);
        done.push(row.id);
      } else if (await this.#o.delivery.domain(row)) done.push(row.id);
    }
    await this.markDispatched(done);
    return claimed.length;
  }
}

const WRITE_ROWS = `
  with rows as (
    select * from jsonb_to_recordset(?::jsonb)
      as r(id uuid, kind text, name text, payload jsonb, target jsonb, session_id uuid, created_at timestamptz, ord int)
  ), seqs as (
    insert into core_session_sequences (session_id, seq)
    select session_id, count(*) from rows where session_id is not null group by session_id order by session_id
    on conflict (session_id) do update set seq = core_session_sequences.seq + excluded.seq
    returning session_id, seq
  )
  insert into core_outbox_events (id, kind, name, payload, target, session_id, seq, created_at)
  select r.id, r.kind, r.name, r.payload, r.target, r.session_id,
    s.seq - (count(*) over (partition by r.session_id) - row_number() over (partition by r.session_id order by r.ord)),
    r.created_at
  from rows r left join seqs s on s.session_id = r.session_id`;

const CLAIM_ROWS = `
  update core_outbox_events set claimed_until = now() + make_interval(secs => ?)
  where id in (
    select id from core_outbox_events
    where dispatched_at is null and (claimed_until is null or claimed_until < now())
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

/** Publish order; a session's broadcasts strictly by their sequence number. */
function deliveryOrder(a: OutboxRow, b: OutboxRow): number {
  if (a.sessionId && a.sessionId === b.sessionId && a.seq !== null && b.seq !== null) return a.seq - b.seq;
  return a.createdAt.getTime() - b.createdAt.getTime();
}
