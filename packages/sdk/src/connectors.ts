import { z } from 'zod';
import { STREAM_PLATFORMS } from './enums.ts';
import type { ViewerStanding } from './kernel-contract.ts';

/*
 * What every platform connector shares, whatever its platform: what it turns the platform's
 * events into (the kernel and the tips plugin act on those), and the status it shows the
 * creator (the dashboard draws any connector's the same way). A connector is a plugin like
 * any other; `@streaming-companion/plugin-chaturbate` is the model to copy.
 */

/**
 * Where a connection is:
 * - `idle`: connected, but nothing to follow (no live session on the platform);
 * - `polling`: following the platform's events;
 * - `backing_off`: the platform failed (5xx, 429, network); retrying after a growing delay;
 * - `broken`: the platform refused the credentials; nothing happens until the creator saves new ones;
 * - `disconnected`: no credentials saved.
 */
export const CONNECTOR_STATES = ['idle', 'polling', 'backing_off', 'broken', 'disconnected'] as const;
/** One of `CONNECTOR_STATES`. */
export type ConnectorState = (typeof CONNECTOR_STATES)[number];

/** A platform connection as its creator sees it: never the credentials, at most their last characters. */
export const ConnectorStatus = z
  .object({
    platform: z.enum(STREAM_PLATFORMS),
    connected: z.boolean(),
    /** The creator's name on the platform. */
    username: z.string().nullable(),
    /** The end of the secret, to tell which one is saved, e.g. `…ab12`. */
    tokenHint: z.string().nullable(),
    state: z.enum(CONNECTOR_STATES),
    /** Why the state is `broken`. */
    brokenReason: z.string().nullable(),
    /** The platform's broadcast start and stop start and end the session. */
    autoSession: z.boolean(),
    centsPerToken: z.int(),
    lastEventAt: z.iso.datetime().nullable(),
    /** The platform's id of the last event acted on: where following resumes after a restart. */
    lastEventId: z.string().nullable(),
    eventsSeen: z.int(),
    tipsRecorded: z.int(),
    /**
     * Events not acted on, by reason: the platform's name for what is not supported (`follow`,
     * `privateMessage`; `other` past 40 names), `noSession` (nothing live to take it),
     * `autoSessionOff` (a broadcast start or stop, with `autoSession` off), `duplicate` (seen
     * before), `invalid` (did not parse), `refused` (e.g. a tip over the maximum).
     */
    skipped: z.record(z.string(), z.int()),
    /** Failed polls since the connection was saved. */
    errors: z.int(),
    /** The last failure, with every secret taken out. */
    lastError: z.string().nullable(),
  })
  .meta({ id: 'ConnectorStatus' });
export type ConnectorStatus = z.infer<typeof ConnectorStatus>;

/** A viewer as a platform event names them; the text is already cleaned (see `cleanViewerText`). */
export interface ConnectorViewer {
  name: string;
  standing: ViewerStanding;
}

/**
 * A platform event, normalized: what a connector hands on to tips and sessions. `id` is the
 * platform's event id, stable across redeliveries, which every effect deduplicates on.
 */
export type ConnectorEvent =
  | { kind: 'tip'; id: string; viewer: ConnectorViewer | null; tokens: number; message: string | null; anonymous: boolean }
  | { kind: 'chat'; id: string; viewer: ConnectorViewer; message: string }
  | { kind: 'viewer_enter'; id: string; viewer: ConnectorViewer }
  | { kind: 'viewer_leave'; id: string; viewer: ConnectorViewer }
  | { kind: 'broadcast_start'; id: string }
  | { kind: 'broadcast_stop'; id: string };
/** The kinds of `ConnectorEvent`: a tip, a chat line, a viewer entering or leaving, a broadcast starting or stopping. */
export type ConnectorEventKind = ConnectorEvent['kind'];

