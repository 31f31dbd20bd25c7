import type { PluginMigration } from '@streaming-companion/sdk';

const PLATFORM = `text not null check (platform in ('chaturbate', 'stripchat', 'other'))`;
const GRAIN = `text not null check (grain in ('day', 'month', 'year'))`;

/** Append; never edit a shipped one. The entities in `entities/` must match the result (a test diffs them). */
export const analyticsMigrations: PluginMigration[] = [
  {
    name: '0001_analytics',
    up: [
      `create table analytics_sessions (
        session_id uuid primary key,
        creator_id uuid not null,
        platform ${PLATFORM},
        title text,
        started_at timestamptz not null,
        ended_at timestamptz
      )`,
      `create index analytics_sessions_creator_started_idx on analytics_sessions (creator_id, started_at)`,
      `create table analytics_creators (
        creator_id uuid primary key,
        tipper_count integer not null
      )`,
      `create table analytics_tippers (
        creator_id uuid not null,
        tipper_no integer not null,
        tipper_key text not null,
        tipper_name text not null,
        last_tip_at timestamptz not null,
        primary key (creator_id, tipper_no)
      )`,
      `create unique index analytics_tippers_key_idx on analytics_tippers (creator_id, tipper_key)`,
      `create table analytics_tips (
        tip_id uuid primary key,
        creator_id uuid not null,
        session_id uuid not null,
        platform ${PLATFORM},
        occurred_at timestamptz not null,
        amount_cents integer not null,
        tokens integer,
        cents_per_token integer,
        tipper_no integer,
        tipper_name text,
        source text not null check (source in ('platform_api', 'manual', 'websocket'))
      )`,
      `create index analytics_tips_creator_time_idx on analytics_tips (creator_id, occurred_at)`,
      `create index analytics_tips_session_time_idx on analytics_tips (session_id, occurred_at)`,
      `create table analytics_periods (
        creator_id uuid not null,
        grain ${GRAIN},
        period_start timestamptz not null,
        platform ${PLATFORM},
        tip_count integer not null,
        total_cents bigint not null,
        biggest_cents integer not null,
        anonymous_count integer not null,
        anonymous_cents bigint not null,
        anonymous_last_at timestamptz,
        tipper_count integer not null,
        tipper_bits bytea not null,
        amounts jsonb not null,
        primary key (creator_id, grain, period_start, platform)
      )`,
      `create table analytics_period_tippers (
        creator_id uuid not null,
        grain ${GRAIN},
        period_start timestamptz not null,
        platform ${PLATFORM},
        tipper_no integer not null,
        tip_count integer not null,
        total_cents bigint not null,
        last_tip_at timestamptz not null,
        primary key (creator_id, grain, period_start, platform, tipper_no)
      )`,
      `create index analytics_period_tippers_rank_idx on analytics_period_tippers (creator_id, grain, period_start, platform, total_cents)`,
      `create table analytics_buckets (
        creator_id uuid not null,
        bucket_start timestamptz not null,
        platform ${PLATFORM},
        tip_count integer not null,
        total_cents bigint not null,
        peak_viewers integer,
        primary key (creator_id, bucket_start, platform)
      )`,
      `create table analytics_viewer_samples (
        session_id uuid not null,
        sampled_at timestamptz not null,
        creator_id uuid not null,
        platform ${PLATFORM},
        viewer_count integer not null,
        primary key (session_id, sampled_at)
      )`,
      `create index analytics_viewer_samples_creator_idx on analytics_viewer_samples (creator_id, sampled_at)`,
      `create table analytics_goal_completions (
        goal_id uuid primary key,
        creator_id uuid not null,
        session_id uuid not null,
        title text,
        target_cents bigint not null,
        completed_at timestamptz not null
      )`,
      `create index analytics_goal_completions_creator_idx on analytics_goal_completions (creator_id, completed_at)`,
      `create table analytics_menu_sales (
        tip_id uuid primary key,
        creator_id uuid not null,
        session_id uuid not null,
        item_id uuid not null,
        title text not null,
        amount_cents integer not null,
        occurred_at timestamptz not null
      )`,
      `create index analytics_menu_sales_creator_time_idx on analytics_menu_sales (creator_id, occurred_at)`,
    ],
  },
  {
    // Tips counted before it have their fact, which a count's insert still refuses: nothing to copy.
    name: '0002_tip_claims',
    up: [`create table analytics_tip_claims (tip_id uuid primary key)`],
  },
];
