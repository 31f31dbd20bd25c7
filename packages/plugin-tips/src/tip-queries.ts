import { raw, type EntityManager } from '@streaming-companion/sdk';
import { StreamTipEntity } from './entities/stream-tip.ts';
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
  const createdAt = { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lt: query.to } : {}) };
  const [tips, total] = await em.findAndCount(
    StreamTipEntity,
    {
      creatorId,
      ...(query.sessionId ? { sessionId: query.sessionId } : {}),
      ...(query.tipperName ? { [raw('lower(tipper_name)')]: query.tipperName.toLowerCase() } : {}),
      ...(Object.keys(createdAt).length ? { createdAt } : {}),
    },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: query.pageSize, offset: (query.page - 1) * query.pageSize },
  );
  return { items: tips.map(toDto), total, page: query.page, pageSize: query.pageSize };
}
