import type { TipDto } from '@streaming-companion/plugin-tips/contract';
import type { ViewerLevel } from './contract.ts';
import { levelOf } from './viewer-levels.ts';

/** Longest part of a chat line triggers look at: matching stays cheap whatever a viewer sends. */
export const MATCHED_MESSAGE_LENGTH = 500;

/** A viewer's chat line. `sessionId` is null only for a dry run without a live session. */
export interface ChatOccasion {
  kind: 'chat';
  creatorId: string;
  sessionId: string | null;
  senderName: string;
  message: string;
  level: ViewerLevel;
}

/** Something a persona may answer. */
export type Occasion =
  | ChatOccasion
  | { kind: 'tip'; creatorId: string; sessionId: string; tip: TipDto }
  | { kind: 'menu_item_purchased'; creatorId: string; sessionId: string; tip: TipDto; itemTitle: string }
  | { kind: 'goal_completed'; creatorId: string; sessionId: string; goalId: string }
  | { kind: 'timer'; creatorId: string; sessionId: string };

/** The viewer behind an occasion: `key` (their name, lower-cased) is what the per-sender cooldown counts; null for an anonymous tipper. */
export interface Viewer {
  name: string;
  key: string | null;
  level: ViewerLevel;
}

/** A goal completion and a timer have no viewer behind them. */
export function viewerOf(occasion: Occasion): Viewer | null {
  switch (occasion.kind) {
    case 'chat':
      return { name: occasion.senderName, key: occasion.senderName.toLowerCase(), level: occasion.level };
    case 'tip':
    case 'menu_item_purchased': {
      const { tipperName, tipperStanding } = occasion.tip;
      return { name: tipperName ?? 'Anonymous', key: tipperName?.toLowerCase() ?? null, level: levelOf(tipperStanding) };
    }
    default:
      return null;
  }
}

/** A chat occasion, its message cut to what triggers look at. */
export function chatOccasion<S extends string | null>(input: Omit<ChatOccasion, 'kind' | 'sessionId'> & { sessionId: S }): ChatOccasion & { sessionId: S } {
  return { kind: 'chat', ...input, message: input.message.slice(0, MATCHED_MESSAGE_LENGTH) };
}
