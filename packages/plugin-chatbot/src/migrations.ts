import type { PluginMigration } from '@streaming-companion/sdk';

/** Append; never edit a shipped one. The entities in `entities/` must match the result (a test diffs them). */
export const chatbotMigrations: PluginMigration[] = [
  {
    name: '0001_chatbot',
    up: [
      `create table chatbot_personas (
        id uuid primary key,
        creator_id uuid not null,
        name text not null,
        avatar_url text,
        enabled boolean not null,
        priority integer not null,
        triggers jsonb not null,
        cooldowns jsonb not null,
        min_level text not null check (min_level in ('everyone', 'has_tokens', 'recent_tipper', 'fan_club', 'moderator')),
        timer jsonb,
        llm jsonb,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`,
      `create index chatbot_personas_creator_idx on chatbot_personas (creator_id)`,
      `create table chatbot_templates (
        id uuid primary key,
        persona_id uuid not null,
        text text not null,
        weight integer not null constraint chatbot_templates_weight_check check (weight > 0),
        trigger_id uuid,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`,
      `create index chatbot_templates_persona_idx on chatbot_templates (persona_id)`,
      `create table chatbot_claims (
        key text primary key,
        scope text not null check (scope in ('persona', 'trigger', 'sender', 'timer', 'event')),
        claimed_at timestamptz not null
      )`,
      `create index chatbot_claims_scope_claimed_idx on chatbot_claims (scope, claimed_at)`,
      `create table chatbot_chat_activity (
        session_id uuid primary key,
        creator_id uuid not null,
        last_message_at timestamptz not null
      )`,
    ],
  },
  {
    name: '0002_recent_tips_tiers',
    // `recent_tipper` (any of Chaturbate's some/lots/tons) becomes one level per tier; what it required, "at least some", is `recent_tips_some`.
    up: [
      `alter table chatbot_personas drop constraint chatbot_personas_min_level_check`,
      `update chatbot_personas set min_level = 'recent_tips_some' where min_level = 'recent_tipper'`,
      `update chatbot_personas set triggers = (
        select jsonb_agg(case when trigger ->> 'minLevel' = 'recent_tipper' then jsonb_set(trigger, '{minLevel}', '"recent_tips_some"') else trigger end order by position)
        from jsonb_array_elements(triggers) with ordinality as listed(trigger, position)
      ) where triggers @> '[{"minLevel": "recent_tipper"}]'`,
      `alter table chatbot_personas add constraint chatbot_personas_min_level_check
        check (min_level in ('everyone', 'has_tokens', 'recent_tips_some', 'recent_tips_lots', 'recent_tips_tons', 'fan_club', 'moderator'))`,
    ],
  },
];
