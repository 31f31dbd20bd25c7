import type { PluginMigration } from '@streaming-companion/sdk';

/** Append; never edit a shipped one. The entities in `entities/` must match the result (a test diffs them). */
export const rehearsalMigrations: PluginMigration[] = [
  {
    name: '0001_rehearsals',
    up: [
      `create table rehearsal_runs (
        id uuid primary key,
        creator_id uuid not null,
        session_id uuid not null,
        source_session_id uuid,
        speed integer not null constraint rehearsal_runs_speed_check check (speed in (1, 5)),
        tip_count integer not null,
        played integer not null,
        status text not null check (status in ('playing', 'finished', 'stopped')),
        started_at timestamptz not null,
        ends_at timestamptz not null
      )`,
      `alter table rehearsal_runs add constraint rehearsal_runs_session_uq unique (session_id)`,
      `create index rehearsal_runs_creator_started_idx on rehearsal_runs (creator_id, started_at)`,
      `create index rehearsal_runs_status_idx on rehearsal_runs (status)`,
      `create table rehearsal_cues (
        rehearsal_id uuid not null,
        cue_index integer not null,
        offset_ms integer not null,
        amount_cents integer not null,
        tokens integer,
        cents_per_token integer,
        tipper_name text,
        message text,
        is_anonymous boolean not null,
        played_at timestamptz,
        primary key (rehearsal_id, cue_index)
      )`,
    ],
  },
  {
    name: '0002_recorded_events',
    up: [
      `create table rehearsal_recorded_events (
        event_id uuid primary key,
        creator_id uuid not null,
        session_id uuid not null,
        kind text not null check (kind in ('chat', 'viewers')),
        offset_ms integer not null,
        sender_name text,
        message text,
        standing jsonb,
        viewer_count integer
      )`,
      `create index rehearsal_recorded_events_session_idx on rehearsal_recorded_events (session_id, offset_ms)`,
      // Rows from before are tips; the default only fills them in.
      `alter table rehearsal_cues add column kind text not null default 'tip' check (kind in ('tip', 'chat', 'viewers'))`,
      `alter table rehearsal_cues alter column kind drop default`,
      `alter table rehearsal_cues alter column amount_cents drop not null`,
      `alter table rehearsal_cues alter column is_anonymous drop not null`,
      `alter table rehearsal_cues add column sender_name text, add column standing jsonb, add column viewer_count integer`,
      `alter table rehearsal_runs add column chat_count integer not null default 0, add column viewer_report_count integer not null default 0`,
      `alter table rehearsal_runs alter column chat_count drop default, alter column viewer_report_count drop default`,
    ],
  },
];
