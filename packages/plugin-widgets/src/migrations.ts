import type { PluginMigration } from '@streaming-companion/sdk';

/** Append; never edit a shipped one. The entities in `entities/` must match the result (a test diffs them). */
export const widgetsMigrations: PluginMigration[] = [
  {
    name: '0001_widgets',
    up: [
      `create table widgets_settings (
        creator_id uuid primary key,
        settings jsonb not null,
        updated_at timestamptz not null
      )`,
      `create table widgets_media (
        id uuid primary key,
        creator_id uuid not null,
        kind text not null check (kind in ('sound', 'image')),
        name text not null,
        media_type text not null,
        size_bytes integer not null,
        sha256 text not null,
        bytes bytea not null,
        created_at timestamptz not null,
        constraint widgets_media_creator_sha256_key unique (creator_id, sha256)
      )`,
    ],
  },
];
