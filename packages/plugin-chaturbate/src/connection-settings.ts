import type { EntityManager, Realtime, SecretsService } from '@streaming-companion/sdk';
import { announceStatus, lockConnection, neverConnected, toStatus } from './connection-state.ts';
import type { ConnectorStatus } from './contract.ts';
import { ConnectionEntity } from './entities/connection.ts';
import { tokenHint, type EventsUrl } from './events-url.ts';
import type { PollChain, EnqueuePoll } from './poll-chain.ts';
import type { RoomViewers } from './room-viewers.ts';

export interface ConnectionInput {
  eventsUrl: EventsUrl;
  autoSession: boolean;
  centsPerToken: number;
}

export interface ConnectionSettingsDependencies {
  secrets: SecretsService;
  realtime: Realtime;
  chain: PollChain;
  viewers: RoomViewers;
  enqueuePoll: EnqueuePoll;
  defaultCentsPerToken: number;
}

/**
 * What the creator does with their connection: look at it, save an Events URL (sealed; the
 * position starts over), remove it. Each change moves `pollSeq` on, which retires whatever
 * poll was under way for the old settings, and is announced to the creator's sockets.
 */
export class ConnectionSettings {
  readonly #d: ConnectionSettingsDependencies;

  constructor(dependencies: ConnectionSettingsDependencies) {
    this.#d = dependencies;
  }

  async status(em: EntityManager, creatorId: string): Promise<ConnectorStatus> {
    const connection = await em.findOne(ConnectionEntity, { creatorId });
    return connection ? toStatus(connection) : neverConnected(this.#d.defaultCentsPerToken);
  }

  async save(em: EntityManager, creatorId: string, input: ConnectionInput): Promise<ConnectorStatus> {
    const { secrets } = this.#d;
    const saved = await em.transactional(async (tx) => {
      await this.#ensureRow(tx, creatorId, input.centsPerToken);
      const connection = (await lockConnection(tx, creatorId))!;
      const before = toStatus(connection);
      Object.assign(connection, {
        eventsUrl: secrets.seal(input.eventsUrl.url),
        username: input.eventsUrl.username,
        tokenHint: tokenHint(input.eventsUrl.token),
        autoSession: input.autoSession,
        centsPerToken: input.centsPerToken,
        brokenReason: null,
        nextUrl: null,
        lastEventId: null,
        pollSeq: connection.pollSeq + 1,
        eventsSeen: 0,
        tipsRecorded: 0,
        skipped: {},
        errors: 0,
        consecutiveFailures: 0,
        lastEventAt: null,
        lastError: null,
      });
      connection.state = (await this.#d.chain.shouldPoll(tx, connection)) ? 'polling' : 'idle';
      await announceStatus(tx, this.#d.realtime, connection, before);
      return connection;
    });
    if (saved.state === 'polling') await this.#d.enqueuePoll(creatorId, saved.pollSeq);
    return toStatus(saved);
  }

  /** Stop following and forget the URL; removing what is not there is a no-op. */
  async disconnect(em: EntityManager, creatorId: string): Promise<void> {
    await em.transactional(async (tx) => {
      const connection = await lockConnection(tx, creatorId);
      if (!connection || (connection.state === 'disconnected' && !connection.eventsUrl)) return;
      const before = toStatus(connection);
      Object.assign(connection, {
        eventsUrl: null,
        nextUrl: null,
        username: null,
        tokenHint: null,
        state: 'disconnected',
        brokenReason: null,
        consecutiveFailures: 0,
        pollSeq: connection.pollSeq + 1,
      });
      await this.#d.viewers.forgetOthers(tx, creatorId, null);
      await announceStatus(tx, this.#d.realtime, connection, before);
    });
  }

  /** The row stays once made: `pollSeq` must never go back, or a new poll could share an old one's (deduplicated) job id. */
  async #ensureRow(tx: EntityManager, creatorId: string, centsPerToken: number): Promise<void> {
    const now = new Date();
    await tx
      .createQueryBuilder(ConnectionEntity)
      .insert({
        creatorId,
        autoSession: false,
        centsPerToken,
        state: 'disconnected',
        pollSeq: 0,
        eventsSeen: 0,
        tipsRecorded: 0,
        skipped: {},
        errors: 0,
        consecutiveFailures: 0,
        createdAt: now,
        updatedAt: now,
      })
      .onConflict(['creatorId'])
      .ignore()
      .execute('run');
  }
}
