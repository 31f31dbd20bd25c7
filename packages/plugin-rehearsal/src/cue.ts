/** A tip a rehearsal will play: what to record, and when, `offsetMs` after its start at 1×. */
export interface Cue {
  offsetMs: number;
  amountCents: number;
  tokens: number | null;
  centsPerToken: number | null;
  tipperName: string | null;
  message: string | null;
  isAnonymous: boolean;
}
