import type { PluginMigration } from '@streaming-companion/sdk';

/**
 * Each runs once, in order, in a transaction, when the server boots. Append new ones; never edit
 * one that has shipped. The entities must match the result: the test diffs them.
 */
export const starterKitMigrations: PluginMigration[] = [
  {
    name: '0001_highlights',
    up: [
      `create table starter_kit_highlights (
        id uuid primary key,
        creator_id uuid not null,
        session_id uuid not null,
        label text not null,
        idempotency_key text,
        marked_at timestamptz not null,
        constraint starter_kit_highlights_key_uq unique (creator_id, idempotency_key)
      )`,
      'create index starter_kit_highlights_session_idx on starter_kit_highlights (session_id, marked_at)',
    ],
  },
];
