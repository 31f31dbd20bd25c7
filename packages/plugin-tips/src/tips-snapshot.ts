import { preparedQuery, type EntityManager } from '@streaming-companion/sdk';
import type { TipsSnapshot } from './contract.ts';
import { fromRow, TIP_COLUMNS, toDto, type TipRow } from './tip-recorder.ts';

const RECENT = 20;
const TOP_TIPPERS = 10;

/**
 * What the session's tip widgets show: its latest tips, its named tippers by total and its
 * biggest tip, void tips left out. Sent to an overlay as it joins, and to the session after a void.
 * One prepared statement, not the ORM: every overlay that joins reads this, and thousands join
 * when a server restarts, where the ORM's three reads left most of a megabyte of garbage each.
 */
export async function tipsSnapshot(em: EntityManager, creatorId: string, sessionId: string): Promise<TipsSnapshot> {
  const [row] = await preparedQuery<SnapshotRow>(em, SNAPSHOT, [creatorId, sessionId, RECENT, TOP_TIPPERS]);
  const { recent, biggest, top_tippers } = row!;
  return {
    sessionId,
    recent: recent.map((tip) => toDto(fromRow(tip))),
    // Named tippers are one whatever the capitalisation, shown as last written.
    topTippers: top_tippers.map((t) => ({ tipperName: t.tipper_name, totalCents: t.total_cents, tipCount: t.tip_count })),
    biggest: biggest ? toDto(fromRow(biggest)) : null,
  };
}

/** Each part as JSON (its times as text, which `toDto` reads); the first to give a total ranks first among equals. */
const SNAPSHOT = `
  with counted as not materialized (select ${TIP_COLUMNS} from tips_tips where creator_id = ? and session_id = ? and voided_at is null)
  select
    (select coalesce(json_agg(r order by r.created_at desc, r.id desc), '[]') from (
      select * from counted order by created_at desc, id desc limit ?) r) as recent,
    (select row_to_json(b) from (select * from counted order by amount_cents desc, created_at, id limit 1) b) as biggest,
    (select coalesce(json_agg(t order by t.place), '[]') from (
      select (array_agg(tipper_name order by created_at desc))[1] as tipper_name, sum(amount_cents) as total_cents, count(*) as tip_count,
        row_number() over (order by sum(amount_cents) desc, min(created_at), lower(tipper_name)) as place
      from counted where tipper_name is not null
      group by lower(tipper_name) order by place limit ?) t) as top_tippers`;

interface SnapshotRow {
  recent: TipRow[];
  biggest: TipRow | null;
  top_tippers: Array<{ tipper_name: string; total_cents: number; tip_count: number }>;
}
