import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { MikroORM, type EventSubscriber } from '@mikro-orm/core';
import { Migration, Migrator } from '@mikro-orm/migrations';
import { PgliteConnection, PgliteDriver } from '@mikro-orm/pglite';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/sql';
import type { PluginMigration } from '@streaming-companion/sdk';
import type pg from 'pg';
import type { PinoLogger } from '../logger.ts';
import { prepareStatementsInPglite } from './pglite-prepared-statements.ts';
import { prepareStatementsWithValues } from './prepared-statements.ts';

export interface DatabaseOptions {
  /** Postgres URL; absent means embedded PGlite. */
  databaseUrl: string | undefined;
  /** PGlite data directory, or `memory://` for a throwaway database. */
  dataDir: string;
  entities: unknown[];
  /** In run order: the kernel's, then each plugin's, already prefixed with their owner. */
  migrations: Array<{ owner: string; migration: PluginMigration }>;
  subscribers?: EventSubscriber[];
  log: PinoLogger;
}

export type Orm = MikroORM;

export async function openDatabase(options: DatabaseOptions): Promise<Orm> {
  const common = {
    entities: options.entities as never[],
    extensions: [Migrator],
    subscribers: options.subscribers ?? [],
    // Entities are the plugins' own schemas: never let a stale discovery cache mask a change.
    metadataCache: { enabled: false },
    allowGlobalContext: false,
    migrations: {
      tableName: 'core_migrations',
      transactional: true,
      allOrNothing: true,
      silent: true,
      snapshot: false,
      migrationsList: options.migrations.map(({ owner, migration }) => ({
        name: `${owner}/${migration.name}`,
        class: migrationClass(migration),
      })),
    },
  };
  if (options.databaseUrl) {
    return MikroORM.init({
      ...common,
      driver: PostgreSqlDriver,
      clientUrl: options.databaseUrl,
      pool: { min: 0, max: 10 },
      driverOptions: { onPoolCreated: (pool: pg.Pool) => pool.on('connect', prepareStatementsWithValues) },
    });
  }
  const orm = await MikroORM.init({ ...common, driver: PgliteDriver, dbName: pgliteLocation(options.dataDir) });
  // The ORM keeps this one instance until it closes.
  prepareStatementsInPglite(await (orm.em.getConnection() as PgliteConnection).getNativeClient());
  return orm;
}

function pgliteLocation(dataDir: string): string {
  if (dataDir.startsWith('memory:')) return 'memory://';
  const dir = resolve(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  return dir;
}

function migrationClass(migration: PluginMigration) {
  return class extends Migration {
    override up(): void {
      for (const sql of migration.up) this.addSql(sql);
    }
  };
}

/**
 * Apply pending migrations. On Postgres an advisory lock keeps two instances booting at
 * once from racing (PGlite is single-process and has one connection, so it needs none).
 */
export async function migrate(orm: Orm, usesPostgres: boolean): Promise<string[]> {
  const run = async () => (await orm.migrator.up()).map((m) => m.name);
  if (!usesPostgres) return run();
  const em = orm.em.fork() as EntityManager;
  return em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext('streaming-companion:migrations'))`);
    return run();
  });
}
