import { LockMode, type EntityManager, type Realtime } from '@streaming-companion/sdk';
import { chaturbateEvents, type ConnectorState, type ConnectorStatus } from './contract.ts';
import { ConnectionEntity, type Connection } from './entities/connection.ts';

/**
 * The creator's connection, locked until the transaction ends. With `pollSeq`, only while it is
 * still at that poll: a poller that finds it moved on (null) has been overtaken and backs out.
 */
export function lockConnection(tx: EntityManager, creatorId: string, pollSeq?: number): Promise<Connection | null> {
  const where = pollSeq === undefined ? { creatorId } : { creatorId, pollSeq };
  return tx.findOne(ConnectionEntity, where, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

/** The status of a creator who never saved a connection. */
export function neverConnected(defaultCentsPerToken: number): ConnectorStatus {
  return {
    platform: 'chaturbate',
    connected: false,
    username: null,
    tokenHint: null,
    state: 'disconnected',
    brokenReason: null,
    autoSession: false,
    centsPerToken: defaultCentsPerToken,
    lastEventAt: null,
    lastEventId: null,
    eventsSeen: 0,
    tipsRecorded: 0,
    skipped: {},
    errors: 0,
    lastError: null,
  };
}

/** A connection's status as the creator sees it: never the URL, at most the end of its token. */
export function toStatus(connection: Connection): ConnectorStatus {
  return {
    platform: 'chaturbate',
    connected: Boolean(connection.eventsUrl),
    username: connection.username ?? null,
    tokenHint: connection.tokenHint ?? null,
    state: connection.state,
    brokenReason: connection.brokenReason ?? null,
    autoSession: connection.autoSession,
    centsPerToken: connection.centsPerToken,
    lastEventAt: connection.lastEventAt?.toISOString() ?? null,
    lastEventId: connection.lastEventId ?? null,
    eventsSeen: connection.eventsSeen,
    tipsRecorded: connection.tipsRecorded,
    skipped: { ...connection.skipped },
    errors: connection.errors,
    lastError: connection.lastError ?? null,
  };
}

/** States in which the connection has something to follow (or is following it). */
export function isFollowable(connection: Connection): boolean {
  const stopped: ConnectorState[] = ['broken', 'disconnected'];
  return Boolean(connection.eventsUrl) && !stopped.includes(connection.state);
}

/**
 * Inside the transaction that changed the connection: tell the creator's sockets, when what they
 * would see has changed since `before` (a long poll that brought nothing changes nothing).
 */
export async function announceStatus(tx: EntityManager, realtime: Realtime, connection: Connection, before: ConnectorStatus): Promise<void> {
  const after = toStatus(connection);
  if (JSON.stringify(after) === JSON.stringify(before)) return;
  await realtime.toCreator(connection.creatorId).publish(tx, chaturbateEvents.socket.connector_status, after);
}
