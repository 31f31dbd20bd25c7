import type { TipDto } from '@streaming-companion/plugin-tips/contract';
import type { Cue } from './cue.ts';
import type { RecordedEvent } from './entities/recorded-event.ts';

/** How much of a session a replay plays: what happened in the first twelve hours after its first event. */
const MAX_REPLAY_SPAN_MS = 12 * 3_600_000;

/**
 * A past session's tips (oldest first) and recorded chat lines and viewer counts (in their time
 * order) as one list of cues in time order, with their original spacing, counted from its
 * first event, so a replay skips the quiet before it. At the same time, tips come first.
 */
export function replayedSession(startedAt: string, tips: TipDto[], recorded: RecordedEvent[]): Cue[] {
  const start = Date.parse(startedAt);
  const timeline: Cue[] = [
    ...tips.map(
      (tip): Cue => ({
        kind: 'tip',
        offsetMs: Date.parse(tip.createdAt) - start,
        amountCents: tip.amountCents,
        tokens: tip.tokens,
        centsPerToken: tip.centsPerToken,
        tipperName: tip.tipperName,
        message: tip.message,
        isAnonymous: tip.isAnonymous,
      }),
    ),
    ...recorded.flatMap((event): Cue[] => {
      if (event.kind === 'viewers') return event.viewerCount == null ? [] : [{ kind: 'viewers', offsetMs: event.offsetMs, viewerCount: event.viewerCount }];
      if (!event.senderName || !event.message) return [];
      return [{ kind: 'chat', offsetMs: event.offsetMs, senderName: event.senderName, message: event.message, standing: event.standing ?? {} }];
    }),
  ].sort((a, b) => a.offsetMs - b.offsetMs);
  const first = timeline[0]?.offsetMs ?? 0;
  return timeline.map((cue) => ({ ...cue, offsetMs: cue.offsetMs - first })).filter((cue) => cue.offsetMs <= MAX_REPLAY_SPAN_MS);
}
