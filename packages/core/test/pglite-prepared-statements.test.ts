import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareStatementsInPglite } from '../src/database/pglite-prepared-statements.ts';

/** On a PGlite instance of its own: the kernel's ORM also serialises its one connection, which would hide these. */
describe('prepared statements in PGlite', () => {
  let pglite: PGlite;

  beforeAll(async () => {
    pglite = await PGlite.create('memory://');
    prepareStatementsInPglite(pglite);
    await pglite.exec(`create table names (id int primary key, name text not null); insert into names values (1, 'Mia')`);
  });
  afterAll(() => pglite.close());

  it('runs a statement outside a transaction after the transaction in progress, not inside it', async () => {
    let updated!: () => void;
    let release!: () => void;
    const hasUpdated = new Promise<void>((resolve) => (updated = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const rolledBack = pglite
      .transaction(async (tx) => {
        await tx.query(`update names set name = $1 where id = $2`, ['Uncommitted', 1]);
        updated();
        await released;
        throw new Error('roll back');
      })
      .catch(() => {});
    await hasUpdated;
    const outside = pglite.query<{ name: string }>(`select name from names where id = $1`, [1]);
    release();
    expect((await outside).rows).toEqual([{ name: 'Mia' }]);
    await rolledBack;
  });

  it('prepares a text once, inside transactions and out, and answers as PGlite does', async () => {
    const text = `select $1::int * 2 as twice, $2::timestamptz as at, $3::jsonb as doc /* once */`;
    const at = new Date('2026-01-02T03:04:05.678Z');
    const expected = { rows: [{ twice: 6, at, doc: { a: 1 } }], fields: expect.any(Array), affectedRows: 0 };
    expect(await pglite.query(text, [3, at, '{"a":1}'])).toMatchObject(expected);
    expect(await pglite.transaction((tx) => tx.query(text, [3, at, { a: 1 }]))).toMatchObject(expected);
    const { rows } = await pglite.query<{ statement: string }>(`select statement from pg_prepared_statements`);
    expect(rows.filter((row) => row.statement === text)).toHaveLength(1);
    // A statement without values is PGlite's own business.
    expect(rows.some((row) => row.statement.includes('pg_prepared_statements'))).toBe(false);
  });
});
