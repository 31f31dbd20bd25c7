import type { PluginMigration } from '@streaming-companion/sdk';

/** Append; never edit a shipped one. The entities in `entities/` must match the result (a test diffs them). */
export const ttsMigrations: PluginMigration[] = [
  {
    name: '0001_tts',
    up: [
      `create table tts_settings (
        creator_id uuid primary key,
        enabled boolean not null,
        min_amount_cents integer not null,
        voice text not null,
        speed integer not null,
        pitch integer not null,
        max_chars integer not null,
        max_seconds integer not null,
        filter_words jsonb not null,
        filter_mode text not null check (filter_mode in ('bleep', 'skip')),
        per_tipper_per_minute integer not null,
        read_name boolean not null,
        updated_at timestamptz not null
      )`,
      `create table tts_utterances (
        tip_id uuid not null,
        source text not null check (source in ('message', 'menu')),
        creator_id uuid not null,
        session_id uuid not null,
        tipper_key text not null,
        line text not null,
        status text not null check (status in ('queued', 'spoken', 'skipped', 'refused', 'failed')),
        reason text,
        spoken_text text,
        duration_ms integer,
        created_at timestamptz not null,
        finished_at timestamptz,
        primary key (tip_id, source)
      )`,
      `create index tts_utterances_tipper_idx on tts_utterances (creator_id, tipper_key, created_at)`,
      `create table tts_session_mutes (
        session_id uuid primary key,
        creator_id uuid not null,
        muted_at timestamptz not null
      )`,
    ],
  },
];
