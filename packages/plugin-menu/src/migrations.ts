import type { PluginMigration } from '@streaming-companion/sdk';

/** Append; never edit a shipped one. The entities in `entities/` must match the result (a test diffs them). */
export const menuMigrations: PluginMigration[] = [
  {
    name: '0001_menu',
    up: [
      `create table menu_items (
        id uuid primary key,
        creator_id uuid not null,
        title text not null,
        description text,
        price_cents integer not null constraint menu_items_price_cents_check check (price_cents > 0),
        price_tokens integer constraint menu_items_price_tokens_check check (price_tokens > 0),
        category text not null check (category in ('performance', 'request', 'interaction', 'custom')),
        active boolean not null,
        sort_order integer not null,
        emoji text,
        actions jsonb not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`,
      `create index menu_items_creator_order_idx on menu_items (creator_id, sort_order)`,
      `create table menu_purchases (
        tip_id uuid primary key,
        creator_id uuid not null,
        session_id uuid not null,
        item_id uuid not null,
        title text not null,
        amount_cents integer not null,
        tipper_name text,
        matched_by text not null check (matched_by in ('message', 'amount')),
        created_at timestamptz not null
      )`,
      `create index menu_purchases_session_idx on menu_purchases (creator_id, session_id)`,
    ],
  },
];
