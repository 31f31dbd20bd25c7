import { preparedQuery, type EntityManager } from '@streaming-companion/sdk';
import type { TipsSnapshot, TopTipper } from './contract.ts';
import { fromRow, TIP_COLUMNS, toDto, type TipRow } from './tip-recorder.ts';

const RECENT = 20;
const TOP_TIPPERS = 10;

/**
 * What the session's tip widgets show: its latest tips, its named tippers by total and its
 * biggest tip, void tips left out. Sent to an overlay as it joins, and to the session after a void.
 * Prepared statements, not the ORM: every overlay that joins reads this, and thousands join when
 * a server restarts, where the ORM's reads left most of a megabyte of garbage each.
 */
export async function tipsSnapshot(em: EntityManager, creatorId: string, sessionId: string): Promise<TipsSnapshot> {
  // One after the other: inside a void's transaction they share its connection.
  const recent = await preparedQuery<TipRow>(em, RECENT_TIPS, [creatorId, sessionId, RECENT]);
  const [biggest] = await preparedQuery<TipRow>(em, BIGGEST_TIP, [creatorId, sessionId]);
  const topTippers = await topTippersOf(em, creatorId, sessionId);
  return { sessionId, recent: recent.map((row) => toDto(fromRow(row))), topTippers, biggest: biggest ? toDto(fromRow(biggest)) : null };
}

const COUNTED = 'from tips_tips where creator_id = ? and session_id = ? and voided_at is null';
const RECENT_TIPS = `select ${TIP_COLUMNS} ${COUNTED} order by created_at desc, id desc limit ?`;
const BIGGEST_TIP = `select ${TIP_COLUMNS} ${COUNTED} order by amount_cents desc, created_at, id limit 1`;

/** Named tippers (one whatever the capitalisation, shown as last written) by total; the first to give it ranks first among equals. */
async function topTippersOf(em: EntityManager, creatorId: string, sessionId: string): Promise<TopTipper[]> {
  const rows = await preparedQuery<{ tipper_name: string; total_cents: string | number; tip_count: string | number }>(em, TOP_TIPPERS_OF, [creatorId, sessionId, TOP_TIPPERS]);
  return rows.map((r) => ({ tipperName: r.tipper_name, totalCents: Number(r.total_cents), tipCount: Number(r.tip_count) }));
}

const TOP_TIPPERS_OF = `
  select (array_agg(tipper_name order by created_at desc))[1] as tipper_name, sum(amount_cents) as total_cents, count(*) as tip_count
  ${COUNTED} and tipper_name is not null
  group by lower(tipper_name) order by sum(amount_cents) desc, min(created_at), lower(tipper_name) limit ?`;
