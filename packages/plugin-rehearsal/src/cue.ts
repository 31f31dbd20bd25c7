import type { ViewerStanding } from '@streaming-companion/sdk';

export const CUE_KINDS = ['tip', 'chat', 'viewers'] as const;
export type CueKind = (typeof CUE_KINDS)[number];

/** A tip to record. */
export interface TipCue {
  kind: 'tip';
  amountCents: number;
  tokens: number | null;
  centsPerToken: number | null;
  tipperName: string | null;
  message: string | null;
  isAnonymous: boolean;
}

/** A viewer's chat line, to reach whatever answers chat. */
export interface ChatCue {
  kind: 'chat';
  senderName: string;
  message: string;
  standing: ViewerStanding;
}

/** A viewer count, to report to the session. */
export interface ViewersCue {
  kind: 'viewers';
  viewerCount: number;
}

/** What a rehearsal will play, and when: `offsetMs` after its start at 1×. */
export type Cue = { offsetMs: number } & (TipCue | ChatCue | ViewersCue);
