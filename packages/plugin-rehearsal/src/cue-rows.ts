import type { Cue } from './cue.ts';
import type { RehearsalCue } from './entities/rehearsal-cue.ts';

/** The columns a cue fills in its row (`rehearsal_cues`); those of the other kinds stay null. */
export function cueRow(cue: Cue): Omit<RehearsalCue, 'rehearsalId' | 'index' | 'playedAt'> {
  const empty = { amountCents: null, tokens: null, centsPerToken: null, tipperName: null, isAnonymous: null, message: null, senderName: null, standing: null, viewerCount: null };
  return { ...empty, ...cue };
}

/** The cue a row holds; a row missing what its kind needs was not written by `cueRow`. */
export function cueOf(row: RehearsalCue): Cue {
  const { kind, offsetMs } = row;
  if (kind === 'tip' && row.amountCents != null) {
    const { amountCents, tokens, centsPerToken, tipperName, message } = row;
    return { kind, offsetMs, amountCents, tokens: tokens ?? null, centsPerToken: centsPerToken ?? null, tipperName: tipperName ?? null, message: message ?? null, isAnonymous: row.isAnonymous ?? false };
  }
  if (kind === 'chat' && row.senderName && row.message) return { kind, offsetMs, senderName: row.senderName, message: row.message, standing: row.standing ?? {} };
  if (kind === 'viewers' && row.viewerCount != null) return { kind, offsetMs, viewerCount: row.viewerCount };
  throw new Error(`rehearsal cue ${row.rehearsalId}:${row.index} (${kind}) lacks what its kind needs`);
}
