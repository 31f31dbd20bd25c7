import type { PluginMigration } from '@streaming-companion/sdk';

/** Append; never edit a shipped one. The entities in `entities/` must match the result (a test diffs them). */
export const tipsMigrations: PluginMigration[] = [
  {
    name: '0001_tips',
    up: [
      `create table tips_tips (
        id uuid primary key,
        creator_id uuid not null,
        session_id uuid not null references core_stream_sessions (id) on delete cascade,
        amount_cents integer not null check (amount_cents > 0),
        tokens integer,
        cents_per_token integer,
        tipper_name text,
        message text,
        is_anonymous boolean not null,
        source text not null check (source in ('platform_api', 'manual', 'websocket')),
        external_event_id text,
        idempotency_key text,
        request_hash text,
        created_at timestamptz not null
      )`,
      `create unique index tips_tips_idempotency_uq on tips_tips (creator_id, idempotency_key) where idempotency_key is not null`,
      `create index tips_tips_session_idx on tips_tips (creator_id, session_id, created_at desc)`,
      `create index tips_tips_creator_created_idx on tips_tips (creator_id, created_at desc)`,
      `create table tips_session_tippers (session_id uuid not null, tipper_key text not null, primary key (session_id, tipper_key))`,
    ],
  },
  {
    name: '0002_own_tables_only',
    up: [
      // A plugin names no other package's table: the session is checked by the kernel in the tip's transaction.
      `alter table tips_tips drop constraint tips_tips_session_id_fkey`,
      // Unique over (creator, key) with nulls distinct is what the partial index meant, in a form
      // `on conflict (creator_id, idempotency_key)` infers without repeating its predicate.
      `drop index tips_tips_idempotency_uq`,
      `alter table tips_tips add constraint tips_tips_idempotency_uq unique (creator_id, idempotency_key)`,
    ],
  },
  {
    name: '0003_tipper_standing',
    up: [`alter table tips_tips add column tipper_standing jsonb`],
  },
  {
    name: '0004_void',
    up: [`alter table tips_tips add column voided_at timestamptz`, `alter table tips_tips add column void_reason text`],
  },
];
