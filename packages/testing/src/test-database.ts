import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  /** Drops it, whoever is still connected. */
  drop(): Promise<void>;
}

/** A database of its own on the PostgreSQL server at `serverUrl` (named `<prefix>_<random>` unless `name` is given). */
export async function createTestDatabase(serverUrl: string, options: { prefix?: string; name?: string } = {}): Promise<TestDatabase> {
  const name = options.name ?? `${options.prefix ?? 'sc_test'}_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
