import type { EntityManager } from '@mikro-orm/sql';
import { preparedQuery } from '@streaming-companion/sdk';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { MAX_PREPARED_PER_CONNECTION, prepareStatementsWithValues, withCommit } from '../src/database/prepared-statements.ts';
import type { Kernel } from '../src/kernel.ts';

describe('preparedQuery', () => {
  let t: TestKernel;
  /** Made up front: an HTTP request after the cap test's long pause could meet its kept-alive connection closing. */
  let creator: { id: string; displayName: string };
  const em = () => (t.kernel as Kernel).forkEm();

  beforeAll(async () => {
    t = await startTestKernel();
    ({ creator } = await t.createCreator());
  });
  afterAll(() => t.stop());

  it('binds each ? to its value in turn, and \\? stays a question mark', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const [row] = await preparedQuery<{ at: string }>(em(), `select ?::int + ?::int as sum, '\\?' as mark, ?::timestamptz as at, ?::jsonb as doc, ?::text as nothing`, [2, 3, at, JSON.stringify({ a: [1] }), null]);
    // Timestamps come back as text, as from `em.execute`.
    expect({ ...row, at: new Date(row!.at) }).toEqual({ sum: 5, mark: '?', at, doc: { a: [1] }, nothing: null });
  });

  it('runs in the transaction of the entity manager it is given, and rolls back with it', async () => {
    const rename = (tx: EntityManager, name: string) => preparedQuery(tx, `update core_creators set display_name = ? where id = ? returning display_name`, [name, creator.id]);
    await em()
      .transactional(async (tx) => {
        expect(await rename(tx, 'Inside')).toEqual([{ display_name: 'Inside' }]);
        throw new Error('roll back');
      })
      .catch(() => {});
    expect(await preparedQuery(em(), `select display_name from core_creators where id = ?`, [creator.id])).toEqual([{ display_name: creator.displayName }]);
  });

  it('answers statements sent at once in one transaction each with its own rows', async () => {
    await em().transactional(async (tx) => {
      const text = `select ?::int + 1 as next /* at once */`;
      expect(await Promise.all([1, 2, 3].map((n) => preparedQuery(tx, text, [n])))).toEqual([[{ next: 2 }], [{ next: 3 }], [{ next: 4 }]]);
    });
  });

  it('fails a statement with its database error, and the next transaction runs it again', async () => {
    const divide = (divisor: number) => em().transactional((tx) => preparedQuery(tx, `select 12 / ?::int as quotient`, [divisor]));
    await expect(divide(0)).rejects.toThrow(/division by zero/);
    expect(await divide(4)).toEqual([{ quotient: 3 }]);
    // A text PostgreSQL refuses to prepare is refused the same way every time.
    const missing = () => em().transactional((tx) => preparedQuery(tx, `select ?::int as n from no_such_table`, [1]));
    await expect(missing()).rejects.toThrow(/no_such_table/);
    await expect(missing()).rejects.toThrow(/no_such_table/);
    expect(await divide(6)).toEqual([{ quotient: 2 }]);
  });

  // The embedded database has one session, so every statement shows in its pg_prepared_statements.
  it.skipIf(Boolean(process.env.DATABASE_URL))('prepares a statement run outside a transaction too, on the embedded database', async () => {
    for (const n of [1, 2]) expect(await preparedQuery(em(), `select ?::int as n /* outside */`, [n])).toEqual([{ n }]);
    const texts = await em().execute<Array<{ statement: string }>>(`select statement from pg_prepared_statements`);
    expect(texts.filter((row) => row.statement.includes('/* outside */'))).toEqual([{ statement: `select $1::int as n /* outside */` }]);
  });

  describe('in a transaction', () => {
    /** The texts prepared on the connection of `tx`'s transaction. */
    const prepared = async (tx: EntityManager) => (await tx.execute<Array<{ statement: string }>>(`select statement from pg_prepared_statements`)).map((row) => row.statement);

    it('prepares each text once on a connection, and leaves the ORM’s statements unprepared', async () => {
      await em().transactional(async (tx) => {
        const text = `select ?::int * 2 as twice /* once */`;
        for (const n of [1, 2, 3]) expect(await preparedQuery(tx, text, [n])).toEqual([{ twice: 2 * n }]);
        const texts = await prepared(tx);
        expect(texts.filter((statement) => statement.includes('/* once */'))).toEqual([`select $1::int * 2 as twice /* once */`]);
        expect(texts.some((statement) => statement.includes('pg_prepared_statements'))).toBe(false);
      });
    });

    it(`keeps at most ${MAX_PREPARED_PER_CONNECTION} texts prepared on a connection, and still runs the rest`, async () => {
      // A kernel of its own: the texts the other tests ran (or failed to prepare) would count against the cap.
      const own = await startTestKernel();
      try {
        await (own.kernel as Kernel).forkEm().transactional(async (tx) => {
          for (let i = 0; i <= MAX_PREPARED_PER_CONNECTION; i++) {
            expect(await preparedQuery(tx, `select ?::int as n /* distinct ${i} */`, [i])).toEqual([{ n: i }]);
          }
          expect((await prepared(tx)).length).toBe(MAX_PREPARED_PER_CONNECTION);
        });
      } finally {
        await own.stop();
      }
    });
  });

  it('runs a statement outside a transaction after the transaction in progress, not inside it', async () => {
    let updated!: () => void;
    let release!: () => void;
    const hasUpdated = new Promise<void>((resolve) => (updated = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const rolledBack = em()
      .transactional(async (tx) => {
        await preparedQuery(tx, `update core_creators set display_name = ? where id = ?`, ['Uncommitted', creator.id]);
        updated();
        await released;
        throw new Error('roll back');
      })
      .catch(() => {});
    await hasUpdated;
    // The embedded database has one session: run at once, this would see the open transaction's update.
    const outside = preparedQuery(em(), `select display_name from core_creators where id = ?`, [creator.id]);
    release();
    expect(await outside).toEqual([{ display_name: creator.displayName }]);
    await rolledBack;
  });

  // On PostgreSQL a transaction's `begin` waits for its first statement and goes out with it.
  describe.skipIf(!process.env.DATABASE_URL)("a transaction's begin", () => {
    const c = countingConnection('written');
    const write = (n: number) => c.client.query('insert into written (n) values ($1) returning n', [n]);
    const written = async () => (await c.client.query('select n from written order by n')).rows;

    it('goes out with the first statement, which runs inside the transaction: one round trip fewer', async () => {
      c.roundTrips = 0;
      await c.client.query('begin');
      expect((await write(1)).rows).toEqual([{ n: 1 }]);
      await c.client.query('rollback');
      expect(c.roundTrips).toBe(2);
      expect(await written()).toEqual([]);

      await c.client.query('begin');
      await write(2);
      await write(3);
      await c.client.query('commit');
      expect(await written()).toEqual([{ n: 2 }, { n: 3 }]);
    });

    it('is never sent for a transaction that runs nothing', async () => {
      c.roundTrips = 0;
      await c.client.query('begin');
      await c.client.query('commit');
      expect(c.roundTrips).toBe(0);
    });

    it('goes out on its own before a statement without values', async () => {
      await c.client.query('begin');
      await c.client.query(`insert into written (n) values (4)`);
      await c.client.query('rollback');
      expect(await written()).not.toContainEqual({ n: 4 });
    });

    it('leaves no transaction open when PostgreSQL refuses the first statement, which is refused the same way again', async () => {
      for (let attempt = 0; attempt < 2; attempt++) {
        await c.client.query('begin');
        await expect(c.client.query('select $1::int as n from no_such_table', [1])).rejects.toThrow(/no_such_table/);
        await c.client.query('rollback');
      }
      expect((await c.client.query('select $1::int + 1 as n', [1])).rows).toEqual([{ n: 2 }]);
      expect((await c.client.query(`select pg_current_xact_id_if_assigned() is null and now() = statement_timestamp() as outside`)).rows).toEqual([{ outside: true }]);
    });

    it('leaves the transaction failed when the first statement fails as it runs, until it is rolled back', async () => {
      await c.client.query('begin');
      await expect(c.client.query('select 12 / $1::int as quotient', [0])).rejects.toThrow(/division by zero/);
      await expect(write(5)).rejects.toThrow(/current transaction is aborted/);
      await c.client.query('rollback');
      expect((await c.client.query('select 12 / $1::int as quotient', [4])).rows).toEqual([{ quotient: 3 }]);
      expect(await written()).not.toContainEqual({ n: 5 });
    });
  });

  // On PostgreSQL a transaction's last statement, run `withCommit`, waits for the commit and goes out with it.
  describe.skipIf(!process.env.DATABASE_URL)('a statement run withCommit', () => {
    const c = countingConnection('kept');
    const write = (n: number) => c.client.query('insert into kept (n) values ($1) returning n', [n]);
    const divide = (divisor: number) => c.client.query('insert into kept (n) select 12 / $1::int returning n', [divisor]);
    const kept = async () => (await c.client.query('select n from kept order by n')).rows;
    const openTransaction = async () => (await c.client.query(`select pg_current_xact_id_if_assigned() is not null as open`)).rows[0].open as boolean;

    it('goes out with the commit, after the held begin when it is the only statement: one round trip in all', async () => {
      c.roundTrips = 0;
      await c.client.query('begin');
      const { result, held } = withCommit(() => write(1));
      await held;
      expect((await c.client.query('commit')).command).toBe('COMMIT');
      expect((await result).rows).toEqual([{ n: 1 }]);
      expect(c.roundTrips).toBe(1);
      expect(await kept()).toEqual([{ n: 1 }]);
    });

    it('goes out with the commit after the statements before it: one round trip fewer', async () => {
      c.roundTrips = 0;
      await c.client.query('begin');
      await write(2);
      const { result, held } = withCommit(() => write(3));
      await held;
      await c.client.query('commit');
      expect((await result).rows).toEqual([{ n: 3 }]);
      expect(c.roundTrips).toBe(2);
      expect(await kept()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    });

    it('fails the commit when it fails, leaving the transaction failed and nothing written, until it is rolled back', async () => {
      await c.client.query('begin');
      await write(4);
      const { result, held } = withCommit(() => divide(0));
      await held;
      await expect(c.client.query('commit')).rejects.toThrow(/division by zero/);
      await expect(result).rejects.toThrow(/division by zero/);
      await c.client.query('rollback');
      expect(await kept()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(await openTransaction()).toBe(false);
    });

    it('leaves the commit unsent when its values cannot be bound', async () => {
      await c.client.query('begin');
      await write(8);
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const { result, held } = withCommit(() => c.client.query('select $1::jsonb as doc', [circular]));
      await held;
      await expect(c.client.query('commit')).rejects.toThrow(/circular/i);
      await expect(result).rejects.toThrow(/circular/i);
      expect(await openTransaction()).toBe(true);
      await c.client.query('rollback');
      expect(await kept()).not.toContainEqual({ n: 8 });
    });

    it('goes out on its own, before anything but a commit, and on its own when nothing follows it', async () => {
      await c.client.query('begin');
      const first = withCommit(() => write(5));
      await first.held;
      expect((await c.client.query('select count(*)::int as n from kept where n = $1', [5])).rows).toEqual([{ n: 1 }]);
      expect((await first.result).rows).toEqual([{ n: 5 }]);
      // Waited for instead of the commit: it goes out on the next turn of the event loop.
      expect((await withCommit(() => write(6)).result).rows).toEqual([{ n: 6 }]);
      await c.client.query('rollback');
      expect(await kept()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    });

    it('refuses the commit with its error when, gone out on its own, it failed', async () => {
      await c.client.query('begin');
      await expect(withCommit(() => divide(0)).result).rejects.toThrow(/division by zero/);
      await expect(c.client.query('commit')).rejects.toThrow(/division by zero/);
      await c.client.query('rollback');
      expect(await openTransaction()).toBe(false);
      expect((await c.client.query('select 12 / $1::int as n', [4])).rows).toEqual([{ n: 3 }]);
    });

    it('runs at once outside a transaction, and is never held', async () => {
      const { result, held } = withCommit(() => write(7));
      let wasHeld = false;
      void held.then(() => (wasHeld = true));
      expect((await result).rows).toEqual([{ n: 7 }]);
      expect(wasHeld).toBe(false);
      expect(await kept()).toContainEqual({ n: 7 });
    });
  });
});

/**
 * A connection of its own, with a temporary table of that name, whose statements are prepared as
 * the server's are, counting its round trips (pg's ready-for-query events).
 */
function countingConnection(table: string): { client: pg.Client; roundTrips: number } {
  const c = { client: new pg.Client({ connectionString: process.env.DATABASE_URL }), roundTrips: 0 };
  beforeAll(async () => {
    await c.client.connect();
    await c.client.query(`create temporary table ${table} (n int)`);
    prepareStatementsWithValues(c.client);
    (c.client as unknown as { connection: { on(event: string, listener: () => void): void } }).connection.on('readyForQuery', () => c.roundTrips++);
  });
  afterAll(() => c.client.end());
  return c;
}
