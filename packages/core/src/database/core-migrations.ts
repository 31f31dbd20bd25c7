import type { PluginMigration } from '@streaming-companion/sdk';

/** The kernel's own schema, in the same plain-SQL form plugins use. Append; never edit a shipped one. */
export const coreMigrations: PluginMigration[] = [
  {
    name: '0001_kernel',
    up: [
      `create table core_settings (key text primary key, value text not null)`,
      `create table core_creators (
        id uuid primary key,
        email text,
        password_hash text,
        display_name text not null,
        sso_subject text,
        overlay_key text not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`,
      `create unique index core_creators_email_uq on core_creators (lower(email))`,
      `create unique index core_creators_sso_subject_uq on core_creators (sso_subject)`,
      `create unique index core_creators_overlay_key_uq on core_creators (overlay_key)`,
      `create table core_api_tokens (
        id uuid primary key,
        creator_id uuid not null references core_creators (id) on delete cascade,
        name text not null,
        token_hash text not null unique,
        prefix text not null,
        created_at timestamptz not null,
        last_used_at timestamptz,
        revoked_at timestamptz
      )`,
      `create index core_api_tokens_creator_idx on core_api_tokens (creator_id)`,
      `create table core_stream_sessions (
        id uuid primary key,
        creator_id uuid not null references core_creators (id) on delete cascade,
        platform text not null check (platform in ('chaturbate', 'stripchat', 'other')),
        title text,
        notes text,
        metadata jsonb not null default '{}',
        status text not null check (status in ('active', 'ended')),
        started_at timestamptz not null,
        ended_at timestamptz,
        duration_seconds integer,
        viewer_count integer not null default 0,
        peak_viewers integer not null default 0,
        total_tips_cents bigint not null default 0,
        tip_count integer not null default 0,
        tipper_count integer not null default 0,
        biggest_tip_cents integer not null default 0,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`,
      // The database, not a read-then-write, guarantees one active session per creator.
      `create unique index core_stream_sessions_one_active_uq on core_stream_sessions (creator_id) where status = 'active'`,
      `create index core_stream_sessions_creator_started_idx on core_stream_sessions (creator_id, started_at desc)`,
      `create table core_session_notes (
        id uuid primary key,
        session_id uuid not null references core_stream_sessions (id) on delete cascade,
        creator_id uuid not null,
        text text not null,
        created_at timestamptz not null
      )`,
      `create index core_session_notes_session_idx on core_session_notes (session_id, created_at)`,
      `create table core_outbox_events (
        id uuid primary key,
        name text not null,
        payload jsonb not null,
        created_at timestamptz not null,
        dispatched_at timestamptz
      )`,
      `create index core_outbox_events_pending_idx on core_outbox_events (created_at) where dispatched_at is null`,
    ],
  },
  {
    name: '0002_outbox_broadcasts',
    up: [
      // Realtime broadcasts go through the outbox too, so a crash after commit cannot drop one.
      `alter table core_outbox_events add column kind text not null default 'domain' check (kind in ('domain', 'realtime'))`,
      `alter table core_outbox_events add column target jsonb`,
      `alter table core_outbox_events add column session_id uuid`,
      `alter table core_outbox_events add column seq bigint`,
      `alter table core_outbox_events add column claimed_until timestamptz`,
      `create table core_session_sequences (session_id uuid primary key, seq bigint not null)`,
    ],
  },
  {
    name: '0003_handled_events',
    up: [
      `create table core_handled_events (
        subscription text not null,
        event_id uuid not null,
        handled_at timestamptz not null default now(),
        primary key (subscription, event_id)
      )`,
      `create index core_handled_events_handled_at_idx on core_handled_events (handled_at)`,
    ],
  },
  {
    name: '0004_viewer_samples',
    up: [`alter table core_stream_sessions add column viewers_sampled_at timestamptz`],
  },
  {
    name: '0005_rehearsal_sessions',
    up: [`alter table core_stream_sessions add column rehearsal boolean not null default false`],
  },
  {
    name: '0006_events_in_session_order',
    up: [
      // A session's domain events of each name are numbered too ('' stays the broadcasts' sequence),
      // so a subscriber can handle them in commit order whatever order their jobs run in.
      `alter table core_session_sequences add column stream text not null default ''`,
      `alter table core_session_sequences drop constraint core_session_sequences_pkey`,
      `alter table core_session_sequences add primary key (session_id, stream)`,
      `create table core_subscriber_cursors (
        subscription text not null,
        session_id uuid not null,
        seq bigint not null,
        primary key (subscription, session_id)
      )`,
    ],
  },
];
