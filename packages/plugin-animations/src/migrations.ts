import type { PluginMigration } from '@streaming-companion/sdk';

/** Append; never edit a shipped one. The entities in `entities/` must match the result (a test diffs them). */
export const animationsMigrations: PluginMigration[] = [
  {
    name: '0001_animations',
    up: [
      `create table animations_rules (
        id uuid primary key,
        creator_id uuid not null,
        min_amount_cents integer not null constraint animations_rules_min_amount_cents_check check (min_amount_cents > 0),
        type text not null check (type in ('confetti', 'hearts', 'rain', 'custom')),
        intensity integer not null constraint animations_rules_intensity_check check (intensity >= 1 and intensity <= 10),
        url text,
        active boolean not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        constraint animations_rules_threshold_uq unique (creator_id, min_amount_cents)
      )`,
      `create table animations_stages (
        session_id uuid primary key,
        creator_id uuid not null,
        last_started_at timestamptz,
        playing_until jsonb not null,
        waiting jsonb,
        waiting_due_at timestamptz
      )`,
      `create index animations_stages_due_idx on animations_stages (waiting_due_at) where waiting_due_at is not null`,
      `create table animations_settings (
        creator_id uuid primary key,
        cooldown_ms integer not null,
        max_concurrent integer not null,
        effect_ms integer not null,
        updated_at timestamptz not null
      )`,
    ],
  },
];
