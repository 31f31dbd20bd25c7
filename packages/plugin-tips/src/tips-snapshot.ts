import type { EntityManager } from '@streaming-companion/sdk';
import type { TipsSnapshot, TopTipper } from './contract.ts';
import { StreamTipEntity } from './entities/stream-tip.ts';
import { toDto } from './tip-recorder.ts';

const RECENT = 20;
const TOP_TIPPERS = 10;

/**
 * What the session's tip widgets show: its latest tips, its named tippers by total and its
 * biggest tip, void tips left out. Sent to an overlay as it joins, and to the session after a void.
 */
export async function tipsSnapshot(em: EntityManager, creatorId: string, sessionId: string): Promise<TipsSnapshot> {
  const counted = { creatorId, sessionId, voidedAt: null };
  // One after the other: inside a void's transaction they share its connection.
  const recent = await em.find(StreamTipEntity, counted, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: RECENT });
  const biggest = await em.findOne(StreamTipEntity, counted, { orderBy: { amountCents: 'desc', createdAt: 'asc', id: 'asc' } });
  const topTippers = await topTippersOf(em, creatorId, sessionId);
  return { sessionId, recent: recent.map(toDto), topTippers, biggest: biggest ? toDto(biggest) : null };
}

/** Named tippers (one whatever the capitalisation, shown as last written) by total; the first to give it ranks first among equals. */
async function topTippersOf(em: EntityManager, creatorId: string, sessionId: string): Promise<TopTipper[]> {
  const rows = await em.execute<Array<{ tipper_name: string; total_cents: string | number; tip_count: string | number }>>(
    `select (array_agg(tipper_name order by created_at desc))[1] as tipper_name, sum(amount_cents) as total_cents, count(*) as tip_count
     from tips_tips where creator_id = ? and session_id = ? and voided_at is null and tipper_name is not null
     group by lower(tipper_name) order by sum(amount_cents) desc, min(created_at), lower(tipper_name) limit ?`,
    [creatorId, sessionId, TOP_TIPPERS],
  );
  return rows.map((r) => ({ tipperName: r.tipper_name, totalCents: Number(r.total_cents), tipCount: Number(r.tip_count) }));
}
