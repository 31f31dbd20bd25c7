/**
 * Sent as the second argument of every broadcast that follows a committed change to a
 * session: `seq` counts that session's broadcasts, so a client that sees it jump refetches
 * state, and one that sees it again drops the duplicate.
 */
export interface BroadcastMeta {
  sessionId: string;
  seq: number;
}

/** Whether a broadcast's second argument is its `BroadcastMeta` (a broadcast that follows no session change has none). */
export function isBroadcastMeta(value: unknown): value is BroadcastMeta {
  const meta = value as Partial<BroadcastMeta> | null | undefined;
  return typeof meta?.sessionId === 'string' && typeof meta.seq === 'number';
}

/** What to do with a broadcast, judged by its sequence number. */
export type SequenceVerdict = 'next' | 'duplicate' | 'gap';

/**
 * The last `seq` seen per session. The first broadcast after (re)joining a session sets the
 * baseline (the join itself sends the current state); after that, `seq` must grow by one.
 */
export class BroadcastSequences {
  readonly #last = new Map<string, number>();

  /** `next`: apply it. `duplicate`: already seen, drop it. `gap`: apply it, then refetch the session's state. */
  check(meta: BroadcastMeta): SequenceVerdict {
    const last = this.#last.get(meta.sessionId);
    if (last !== undefined && meta.seq <= last) return 'duplicate';
    this.#last.set(meta.sessionId, meta.seq);
    return last === undefined || meta.seq === last + 1 ? 'next' : 'gap';
  }

  /** Forget a session's baseline (or every one), e.g. after joining again. */
  reset(sessionId?: string): void {
    if (sessionId === undefined) this.#last.clear();
    else this.#last.delete(sessionId);
  }
}
