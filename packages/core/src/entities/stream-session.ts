import { defineEntity, p } from '@mikro-orm/core';
import { SESSION_STATUSES, STREAM_PLATFORMS } from '@streaming-companion/sdk';
import { Creator } from './creator.ts';

export const StreamSession = defineEntity({
  name: 'StreamSession',
  tableName: 'core_stream_sessions',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    creatorId: p.manyToOne(Creator).mapToPk().joinColumn('creator_id').foreignKeyName('core_stream_sessions_creator_id_fkey').deleteRule('cascade'),
    platform: p.enum(STREAM_PLATFORMS),
    title: p.text().nullable(),
    notes: p.text().nullable(),
    metadata: p.json<Record<string, unknown>>().defaultRaw(`'{}'`).onCreate(() => ({})),
    status: p.enum(SESSION_STATUSES),
    startedAt: p.datetime().onCreate(() => new Date()),
    endedAt: p.datetime().nullable(),
    durationSeconds: p.integer().nullable(),
    viewerCount: p.integer().default(0),
    peakViewers: p.integer().default(0),
    totalTipsCents: p.bigint('number').defaultRaw('0').onCreate(() => 0),
    tipCount: p.integer().default(0),
    tipperCount: p.integer().default(0),
    biggestTipCents: p.integer().default(0),
    /** A rehearsal plays tips into the overlays; analytics leaves it out. */
    rehearsal: p.boolean().default(false),
    /** When a viewer report was last published as `streaming.session.viewers`. */
    viewersSampledAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  uniques: [
    // The database, not a read-then-write, guarantees one active session per creator.
    { name: 'core_stream_sessions_one_active_uq', properties: ['creatorId'], where: `status = 'active'` },
  ],
  indexes: [{ name: 'core_stream_sessions_creator_started_idx', columns: [{ name: 'creator_id' }, { name: 'started_at', sort: 'desc' }] }],
});
export type StreamSession = InstanceType<typeof StreamSession.class>;
