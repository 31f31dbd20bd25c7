import type { EntityManager } from '@streaming-companion/sdk';
import { toDto } from './tip-recorder.ts';

export interface TipListQuery {
  sessionId?: string;
  tipperName?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

/** A creator's tips, newest first, filtered by session, tipper (case-insensitive) and time range. */
export async function listTips(em: EntityManager, creatorId: string, query: TipListQuery) {
  const where = ['creator_id = ?'];
  const params: unknown[] = [creatorId];
  const filter = (clause: string, value: unknown) => {
    if (value === undefined) return;
    where.push(clause);
    params.push(value);
  };
  filter('session_id = ?', query.sessionId);
  filter('lower(tipper_name) = lower(?)', query.tipperName);
  filter('created_at >= ?', query.from);
  filter('created_at < ?', query.to);
  const condition = where.join(' and ');
  const [rows, [count]] = await Promise.all([
    em.execute(`select * from tips_tips where ${condition} order by created_at desc, id desc limit ? offset ?`, [
      ...params,
      query.pageSize,
      (query.page - 1) * query.pageSize,
    ]),
    em.execute<Array<{ total: number }>>(`select count(*)::int as total from tips_tips where ${condition}`, params),
  ]);
  return { items: (rows as Parameters<typeof toDto>[0][]).map(toDto), total: count!.total, page: query.page, pageSize: query.pageSize };
}
