import type { EntityManager } from '@streaming-companion/sdk';
import { SeenEventEntity } from './entities/seen-event.ts';

/**
 * Event ids already acted on. The poll cursor moves in the transaction that acts on a batch, so
 * the poller never replays its own work; this catches the platform sending an event twice
 * (a resume URL pointing back, a redelivery), which would otherwise chat twice or start a
 * second session after a stop.
 */
export class SeenEvents {
  /** Record `ids` as seen; answers those that were not seen before. */
  async firstSeen(em: EntityManager, creatorId: string, ids: string[], now: Date): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await em.execute<Array<{ event_id: string }>>(
      `insert into chaturbate_seen_events (creator_id, event_id, seen_at)
       select distinct ?::uuid, id, ?::timestamptz from jsonb_array_elements_text(?::jsonb) as ids(id)
       on conflict do nothing
       returning event_id`,
      [creatorId, now, JSON.stringify(ids)],
    );
    return new Set(rows.map((row) => row.event_id));
  }

  /** Forget ids seen before `before`: the platform does not redeliver that late. */
  prune(em: EntityManager, before: Date): Promise<number> {
    return em.nativeDelete(SeenEventEntity, { seenAt: { $lt: before } });
  }
}
