import { defineEntity, p } from '@mikro-orm/core';
import { SESSION_STATUSES, STREAM_PLATFORMS } from '@streaming-companion/sdk';

export const StreamSession = defineEntity({
  name: 'StreamSession',
  tableName: 'core_stream_sessions',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    creatorId: p.uuid(),
    platform: p.enum(STREAM_PLATFORMS),
    title: p.string().nullable(),
    notes: p.text().nullable(),
    metadata: p.json<Record<string, unknown>>().onCreate(() => ({})),
    status: p.enum(SESSION_STATUSES).default('active'),
    startedAt: p.datetime().onCreate(() => new Date()),
    endedAt: p.datetime().nullable(),
    durationSeconds: p.integer().nullable(),
    viewerCount: p.integer().default(0),
    peakViewers: p.integer().default(0),
    totalTipsCents: p.bigint('number').default(0),
    tipCount: p.integer().default(0),
    tipperCount: p.integer().default(0),
    biggestTipCents: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type StreamSession = InstanceType<typeof StreamSession.class>;
