import type { EntityManager } from '@streaming-companion/sdk';

export const CLAIM_SCOPES = ['persona', 'trigger', 'sender', 'timer', 'event'] as const;
export type ClaimScope = (typeof CLAIM_SCOPES)[number];

/** A cooldown to claim: `key` may be claimed again once `seconds` have passed since its last claim. */
export interface Claim {
  key: string;
  scope: ClaimScope;
  seconds: number;
}

/** Longest cooldown or timer period: a claim older than this holds nothing back. */
export const LONGEST_CLAIM_SECONDS = 86_400;

/**
 * Cooldowns, timer runs and answered events, kept in `chatbot_claims` as "last claimed at".
 * A claim is one upsert that only moves the time when the last claim has expired, so when two
 * instances race for the same key, exactly one row comes back: one of them answers. Inside a
 * transaction the row stays locked until it ends, so the loser waits and then sees the new time.
 */
export class Claims {
  /** Claim `claim.key` if it was never claimed or its last claim is `claim.seconds` old; answers whether this call got it. */
  async claim(em: EntityManager, claim: Claim, now: Date): Promise<boolean> {
    const rows = await em.execute<Array<{ key: string }>>(
      `insert into chatbot_claims (key, scope, claimed_at) values (?, ?, ?)
       on conflict (key) do update set claimed_at = excluded.claimed_at
       where chatbot_claims.claimed_at <= ?
       returning key`,
      [claim.key, claim.scope, now, new Date(now.getTime() - claim.seconds * 1000)],
    );
    return rows.length === 1;
  }

  /** Claim `key` for good (an event answered): only the first call gets it. */
  async claimOnce(em: EntityManager, key: string, scope: ClaimScope, now: Date): Promise<boolean> {
    const rows = await em.execute<Array<{ key: string }>>(
      `insert into chatbot_claims (key, scope, claimed_at) values (?, ?, ?) on conflict (key) do nothing returning key`,
      [key, scope, now],
    );
    return rows.length === 1;
  }

  /** When `key` was last claimed, if ever. */
  async lastClaimed(em: EntityManager, key: string): Promise<Date | null> {
    const [row] = await em.execute<Array<{ claimed_at: Date | string }>>(`select claimed_at from chatbot_claims where key = ?`, [key]);
    return row ? new Date(row.claimed_at) : null;
  }

  /** Without claiming: the first of `claims` still cooling down, and for how many more seconds. */
  async firstHeld(em: EntityManager, claims: Claim[], now: Date): Promise<{ claim: Claim; secondsLeft: number } | null> {
    for (const claim of claims) {
      const last = await this.lastClaimed(em, claim.key);
      const left = last ? last.getTime() + claim.seconds * 1000 - now.getTime() : 0;
      if (left > 0) return { claim, secondsLeft: Math.ceil(left / 1000) };
    }
    return null;
  }

  /** Forget cooldowns and answered events old enough to hold nothing back (timer runs go with their session). */
  async prune(em: EntityManager, now: Date): Promise<void> {
    await em.execute(`delete from chatbot_claims where scope <> 'timer' and claimed_at < ?`, [new Date(now.getTime() - LONGEST_CLAIM_SECONDS * 1000)]);
  }

  /** Forget the timer runs of an ended session. */
  async forgetSession(em: EntityManager, sessionId: string): Promise<void> {
    await em.execute(`delete from chatbot_claims where scope = 'timer' and key like ?`, [`%:${sessionId}`]);
  }
}

/** The keys: one cooldown per persona, per trigger of it, and per viewer it answered; one timer run per persona and session. */
export const claimKeys = {
  persona: (personaId: string) => `persona:${personaId}`,
  trigger: (personaId: string, triggerId: string) => `trigger:${personaId}:${triggerId}`,
  sender: (personaId: string, viewerKey: string) => `sender:${personaId}:${viewerKey}`,
  timer: (personaId: string, sessionId: string) => `timer:${personaId}:${sessionId}`,
  event: (eventId: string) => `event:${eventId}`,
};
