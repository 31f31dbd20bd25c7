import type { PluginMigration } from '@streaming-companion/sdk';

/** Append; never edit a shipped one. The entities in `entities/` must match the result (a test diffs them). */
export const webhooksMigrations: PluginMigration[] = [
  {
    name: '0001_webhooks',
    up: [
      `create table webhooks_endpoints (
        id uuid primary key,
        creator_id uuid not null,
        url text not null,
        description text,
        events jsonb not null,
        active boolean not null,
        secret text not null,
        secret_hint text not null,
        previous_secret text,
        previous_secret_until timestamptz,
        disabled_reason text,
        consecutive_failures integer not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`,
      `create index webhooks_endpoints_creator_idx on webhooks_endpoints (creator_id)`,
      `create table webhooks_deliveries (
        id uuid primary key,
        endpoint_id uuid not null,
        creator_id uuid not null,
        event_type text not null,
        event_id uuid not null,
        body text not null,
        status text not null check (status in ('pending', 'delivered', 'failed')),
        attempts integer not null,
        round_first_attempt integer not null,
        last_response_status integer,
        last_error text,
        next_attempt_at timestamptz,
        delivered_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        constraint webhooks_deliveries_endpoint_event_key unique (endpoint_id, event_id)
      )`,
      `create index webhooks_deliveries_endpoint_created_idx on webhooks_deliveries (endpoint_id, created_at)`,
      `create index webhooks_deliveries_status_next_idx on webhooks_deliveries (status, next_attempt_at)`,
      `create index webhooks_deliveries_created_idx on webhooks_deliveries (created_at)`,
    ],
  },
];
