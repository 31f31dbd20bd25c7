import type { ViewerStanding } from '@streaming-companion/sdk';
import { VIEWER_LEVELS, type ViewerLevel } from './contract.ts';

const RECENT_TIPS_LEVEL = { some: 'recent_tips_some', lots: 'recent_tips_lots', tons: 'recent_tips_tons' } as const;

/** The highest level a viewer's platform standing gives them; no standing (a manual tip, a goal) is `everyone`. */
export function levelOf(standing: ViewerStanding | null | undefined): ViewerLevel {
  if (!standing) return 'everyone';
  if (standing.isModerator) return 'moderator';
  if (standing.inFanClub) return 'fan_club';
  if (standing.recentTips && standing.recentTips !== 'none') return RECENT_TIPS_LEVEL[standing.recentTips];
  if (standing.hasTokens) return 'has_tokens';
  return 'everyone';
}

const rank = (level: ViewerLevel) => VIEWER_LEVELS.indexOf(level);

/** The stricter of a persona's minimum and its trigger's (which may have none). */
export function strictestLevel(persona: ViewerLevel, trigger: ViewerLevel | null): ViewerLevel {
  return trigger && rank(trigger) > rank(persona) ? trigger : persona;
}

export function meetsLevel(level: ViewerLevel, minimum: ViewerLevel): boolean {
  return rank(level) >= rank(minimum);
}
