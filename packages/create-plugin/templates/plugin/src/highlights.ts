import type { EntityManager, EventBus, Realtime, SessionsService } from '@streaming-companion/sdk';
import { starterKitEvents, type Highlight } from './contract.ts';
import { HighlightEntity } from './entities/highlight.ts';

export interface MarkHighlight {
  sessionId: string;
  label: string;
  /** Marks it once: a retry under the same key answers with the first highlight instead of adding another. */
  idempotencyKey?: string;
}

interface HighlightsDependencies {
  sessions: SessionsService;
  events: EventBus;
  realtime: Realtime;
}

/**
 * The plugin's logic, with no HTTP or sockets in it: the route, the socket command and the job
 * all come here, so each rule is written once. Every method acts on one of the creator's own
 * sessions; anyone else's is a 404, as if it did not exist.
 */
export class Highlights {
  readonly #deps: HighlightsDependencies;

  constructor(deps: HighlightsDependencies) {
    this.#deps = deps;
  }

  async mark(em: EntityManager, creatorId: string, input: MarkHighlight): Promise<{ highlight: Highlight; replayed: boolean }> {
    await this.#deps.sessions.require(em, creatorId, input.sessionId);
    const marked = await em.transactional(async (tx) => {
      const row = {
        id: crypto.randomUUID(),
        creatorId,
        sessionId: input.sessionId,
        label: input.label,
        idempotencyKey: input.idempotencyKey ?? null,
        markedAt: new Date(),
      };
      // No read first: the unique (creator, key) index tells a retry apart in the same statement, even two at once.
      const inserted = await tx.createQueryBuilder(HighlightEntity).insert(row).onConflict(['creatorId', 'idempotencyKey']).ignore().execute('run');
      if (!inserted.affectedRows) return null;
      const highlight = toHighlight(row);
      // Both are written with the row and go out once it commits; never if it rolls back.
      await this.#deps.events.publish(tx, starterKitEvents.domain['starter-kit.highlight.marked'], { creatorId, highlight });
      await this.#deps.realtime.toCreator(creatorId).publish(tx, starterKitEvents.socket.starter_kit_highlight_marked, highlight);
      return highlight;
    });
    if (marked) return { highlight: marked, replayed: false };
    // Only a key can conflict (rows without one never do): this is a retry, answered with the first.
    const first = await em.findOneOrFail(HighlightEntity, { creatorId, idempotencyKey: input.idempotencyKey! });
    return { highlight: toHighlight(first), replayed: true };
  }

  /** Oldest first. */
  async list(em: EntityManager, creatorId: string, sessionId: string): Promise<Highlight[]> {
    await this.#deps.sessions.require(em, creatorId, sessionId);
    const rows = await em.find(HighlightEntity, { creatorId, sessionId }, { orderBy: { markedAt: 'asc' } });
    return rows.map(toHighlight);
  }

  async count(em: EntityManager, creatorId: string, sessionId: string): Promise<number> {
    await this.#deps.sessions.require(em, creatorId, sessionId);
    return em.count(HighlightEntity, { creatorId, sessionId });
  }
}

function toHighlight(row: { id: string; sessionId: string; label: string; markedAt: Date }): Highlight {
  return { id: row.id, sessionId: row.sessionId, label: row.label, markedAt: row.markedAt.toISOString() };
}
