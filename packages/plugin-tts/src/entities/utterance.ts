import { defineEntity, p } from '@streaming-companion/sdk';
import { UTTERANCE_SOURCES } from '../contract.ts';

export const UTTERANCE_STATUSES = [
  /** Admitted; its synthesis job has not finished. */
  'queued',
  /** Synthesized and sent to the overlays. */
  'spoken',
  /** Admitted, then not spoken: the filter (`skip`), nothing speakable left, or muted meanwhile. */
  'skipped',
  /** Not admitted: the tipper's rate limit, or a muted session. Not counted against the tipper. */
  'refused',
  /** The engine failed on every try. */
  'failed',
] as const;
export type UtteranceStatus = (typeof UTTERANCE_STATUSES)[number];

/**
 * One thing to say for one tip: its message, or its menu item's line. Keyed by tip and source,
 * so a tip delivered twice is decided once and spoken once; counted by tipper for the rate limit.
 */
export const UtteranceEntity = defineEntity({
  name: 'TtsUtterance',
  tableName: 'tts_utterances',
  properties: {
    tipId: p.uuid().primary(),
    source: p.enum(UTTERANCE_SOURCES).primary(),
    creatorId: p.uuid(),
    sessionId: p.uuid(),
    /** The tipper's name, lowercased; empty for tips without one (they share one limit). */
    tipperKey: p.text(),
    /** What to say, as composed from the tip: raw viewer text, cleaned and filtered only when spoken. */
    line: p.text(),
    status: p.enum(UTTERANCE_STATUSES),
    /** Why it was refused, skipped or failed. */
    reason: p.text().nullable(),
    /** What was said, once spoken. */
    spokenText: p.text().nullable(),
    durationMs: p.integer().nullable(),
    /** By the plugin's clock: what the rate limit counts. */
    createdAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
  },
  indexes: [{ name: 'tts_utterances_tipper_idx', properties: ['creatorId', 'tipperKey', 'createdAt'] }],
});
export type Utterance = InstanceType<typeof UtteranceEntity.class>;
