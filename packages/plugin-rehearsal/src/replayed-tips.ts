import type { TipDto } from '@streaming-companion/plugin-tips/contract';
import type { Cue } from './cue.ts';

/** How much of a session a replay plays: its tips in the first twelve hours after its first tip. */
export const MAX_REPLAY_SPAN_MS = 12 * 3_600_000;

/**
 * A past session's tips (oldest first) as cues with their original spacing, counted from its
 * first tip, so a replay skips the quiet before it.
 */
export function replayedTips(tips: TipDto[]): Cue[] {
  const first = tips[0] ? Date.parse(tips[0].createdAt) : 0;
  return tips
    .map((tip) => ({
      offsetMs: Date.parse(tip.createdAt) - first,
      amountCents: tip.amountCents,
      tokens: tip.tokens,
      centsPerToken: tip.centsPerToken,
      tipperName: tip.tipperName,
      message: tip.message,
      isAnonymous: tip.isAnonymous,
    }))
    .filter((cue) => cue.offsetMs <= MAX_REPLAY_SPAN_MS);
}
