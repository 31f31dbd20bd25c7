import type { PluginMigration } from '@streaming-companion/sdk';

/** Append; never edit a shipped one. The entities in `entities/` must match the result (a test diffs them). */
export const chaturbateMigrations: PluginMigration[] = [
  {
    name: '0001_chaturbate',
    up: [
      `create table chaturbate_connections (
        creator_id uuid primary key,
        events_url text,
        username text,
        token_hint text,
        auto_session boolean not null,
        cents_per_token integer not null,
        state text not null check (state in ('idle', 'polling', 'backing_off', 'broken', 'disconnected')),
        broken_reason text,
        next_url text,
        last_event_id text,
        poll_seq integer not null,
        events_seen integer not null,
        tips_recorded integer not null,
        skipped jsonb not null,
        errors integer not null,
        consecutive_failures integer not null,
        last_event_at timestamptz,
        last_error text,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`,
      `create table chaturbate_room_viewers (
        session_id uuid not null,
        username text not null,
        creator_id uuid not null,
        primary key (session_id, username)
      )`,
      `create index chaturbate_room_viewers_creator_idx on chaturbate_room_viewers (creator_id)`,
      `create table chaturbate_seen_events (
        creator_id uuid not null,
        event_id text not null,
        seen_at timestamptz not null,
        primary key (creator_id, event_id)
      )`,
      `create index chaturbate_seen_events_seen_at_idx on chaturbate_seen_events (seen_at)`,
    ],
  },
];
