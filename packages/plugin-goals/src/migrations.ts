import type { PluginMigration } from '@streaming-companion/sdk';

/** Append; never edit a shipped one. The entities in `entities/` must match the result (a test diffs them). */
export const goalsMigrations: PluginMigration[] = [
  {
    name: '0001_goals',
    up: [
      // Status is not stored: a goal is completed when completed_at is set, and the first
      // goal of its session (by sort_order) that is not completed is the active one.
      `create table goals_tip_goals (
        id uuid primary key,
        creator_id uuid not null,
        session_id uuid not null references core_stream_sessions (id) on delete cascade,
        title text not null,
        description text,
        target_cents bigint not null check (target_cents > 0),
        current_cents bigint not null default 0 check (current_cents >= 0),
        sort_order integer not null check (sort_order >= 0),
        completed_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`,
      `create index goals_tip_goals_session_idx on goals_tip_goals (session_id, sort_order)`,
      // One row per streaming.tip.received event already counted: a redelivery inserts nothing.
      `create table goals_processed_events (
        event_id uuid primary key,
        processed_at timestamptz not null default now()
      )`,
      `create index goals_processed_events_processed_at_idx on goals_processed_events (processed_at)`,
    ],
  },
  {
    name: '0002_own_tables_only',
    // A plugin names no other package's table: the session is checked through the kernel's sessions service.
    up: [`alter table goals_tip_goals drop constraint goals_tip_goals_session_id_fkey`],
  },
  {
    name: '0003_handled_by_the_kernel',
    // The kernel records handled events for `once` subscribers now.
    up: [`drop table goals_processed_events`],
  },
  {
    name: '0004_tip_shares',
    up: [
      // What each tip added to each goal, for taking a voided tip back out of the goals it filled.
      `create table goals_tip_shares (
        tip_id uuid not null,
        goal_id uuid not null,
        creator_id uuid not null,
        amount_cents bigint not null check (amount_cents > 0),
        primary key (tip_id, goal_id)
      )`,
    ],
  },
];
