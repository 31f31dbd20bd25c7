import { defineEntity, p } from '@streaming-companion/sdk';
import { CONNECTOR_STATES } from '../contract.ts';

/**
 * A creator's link to the Chaturbate Events API, and where following it has got to. The URL
 * and the `nextUrl` both carry the creator's token, so both are kept sealed
 * (`coreServices.secrets`). `pollSeq` numbers the polls: the poll job numbered `pollSeq` is
 * the only one allowed to move the connection on (see `EventsPoller`).
 */
export const ConnectionEntity = defineEntity({
  name: 'ChaturbateConnection',
  tableName: 'chaturbate_connections',
  properties: {
    creatorId: p.uuid().primary(),
    /** Sealed; null once disconnected. */
    eventsUrl: p.text().nullable(),
    username: p.text().nullable(),
    tokenHint: p.text().nullable(),
    autoSession: p.boolean(),
    centsPerToken: p.integer(),
    state: p.enum(CONNECTOR_STATES),
    brokenReason: p.text().nullable(),
    /** Sealed: the URL the next poll asks for (null: start at the Events URL). */
    nextUrl: p.text().nullable(),
    lastEventId: p.text().nullable(),
    pollSeq: p.integer(),
    eventsSeen: p.integer(),
    tipsRecorded: p.integer(),
    /** Events not acted on, per reason. */
    skipped: p.json<Record<string, number>>(),
    errors: p.integer(),
    consecutiveFailures: p.integer(),
    lastEventAt: p.datetime().nullable(),
    /** Already redacted. */
    lastError: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Connection = InstanceType<typeof ConnectionEntity.class>;
