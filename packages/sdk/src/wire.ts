/**
 * What browser clients need at run time, free of zod and the ORM: the spec's enums and the broadcast sequence.
 *
 * @module @streaming-companion/sdk/wire
 */
export * from './enums.ts';
export { BroadcastSequences, isBroadcastMeta, type BroadcastMeta, type SequenceVerdict } from './broadcast-sequence.ts';
