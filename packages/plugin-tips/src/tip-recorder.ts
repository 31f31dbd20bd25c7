import { createHash } from 'node:crypto';
import type { EntityManager } from '@streaming-companion/sdk';
import {
  Problem,
  type EventBus,
  type SessionTotals,
  type SessionsService,
  type StreamSessionUpdate,
  type TipDto,
  type TipSource,
} from '@streaming-companion/sdk';
import type { TipsConfig } from './config.ts';

export interface TipInput {
  sessionId: string;
  /** Either the amount, or `tokens` (converted with the platform's cents per token). */
  amountCents?: number;
  tokens?: number;
  centsPerToken?: number;
  tipperName?: string | null;
  message?: string | null;
  isAnonymous?: boolean;
  source: TipSource;
  externalEventId?: string;
}

export interface RecordOptions {
  /** From the `Idempotency-Key` header, or a socket's `clientTipId`. The platform's event id is used when absent. */
  idempotencyKey?: string;
}

export interface RecordedTip {
  tip: TipDto;
  sessionTotals: SessionTotals;
  /** The session after this tip, as `session_updated` carries it. */
  session: StreamSessionUpdate;
  /** True when this was a retry and the first result is returned. */
  replayed: boolean;
}

type TipRow = {
  id: string;
  creator_id: string;
  session_id: string;
  amount_cents: number;
  tokens: number | null;
  cents_per_token: number | null;
  tipper_name: string | null;
  message: string | null;
  is_anonymous: boolean;
  source: TipSource;
  external_event_id: string | null;
  request_hash: string | null;
  created_at: Date | string;
};

/**
 * Records a tip: the row, the session's totals and `streaming.tip.received`, in one
 * transaction. Retries under one idempotency key return the first tip; the same key with a
 * different tip is refused, and a unique index settles concurrent retries.
 */
export class TipRecorder {
  readonly #config: TipsConfig;
  readonly #sessions: SessionsService;
  readonly #events: EventBus;

  constructor(config: TipsConfig, sessions: SessionsService, events: EventBus) {
    this.#config = config;
    this.#sessions = sessions;
    this.#events = events;
  }

  async record(em: EntityManager, creatorId: string, input: TipInput, options: RecordOptions = {}): Promise<RecordedTip> {
    const key = options.idempotencyKey ?? (input.externalEventId ? `external:${input.source}:${input.externalEventId}` : undefined);
    const hash = key ? requestHash(input) : null;
    if (key) {
      const replay = await this.#replay(em, creatorId, key, hash!);
      if (replay) return replay;
    }
    const { amountCents, tokens, centsPerToken } = await this.#amount(em, creatorId, input);
    const isAnonymous = input.isAnonymous ?? !input.tipperName;
    const tipperName = isAnonymous ? null : (input.tipperName ?? null);

    const outcome = await em.transactional(async (tx) => {
      const [row] = await tx.execute<TipRow[]>(
        `insert into tips_tips (id, creator_id, session_id, amount_cents, tokens, cents_per_token, tipper_name, message,
           is_anonymous, source, external_event_id, idempotency_key, request_hash, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
         on conflict (creator_id, idempotency_key) where idempotency_key is not null do nothing
         returning *`,
        [
          crypto.randomUUID(),
          creatorId,
          input.sessionId,
          amountCents,
          tokens,
          centsPerToken,
          tipperName,
          input.message ?? null,
          isAnonymous,
          input.source,
          input.externalEventId ?? null,
          key ?? null,
          hash,
        ],
      );
      if (!row) return null; // a concurrent retry under the same key got there first
      const newTipper = tipperName ? await this.#firstTipFrom(tx as EntityManager, input.sessionId, tipperName) : false;
      this.#events.publish(tx as EntityManager, 'streaming.tip.received', {
        creatorId,
        amountCents,
        source: input.source,
        sessionId: input.sessionId,
        tipId: row.id,
      });
      await tx.flush();
      // Last before commit: this update locks the session row, which every tip of the session needs.
      const session = await this.#sessions.addTip(tx as EntityManager, creatorId, input.sessionId, { amountCents, newTipper }).catch(sessionProblem);
      return { tip: toDto(row), sessionTotals: totalsOf(session), session, replayed: false };
    }).catch(sessionProblem);
    return outcome ?? (await this.#replay(em, creatorId, key!, hash!))!;
  }

  async #replay(em: EntityManager, creatorId: string, key: string, hash: string): Promise<RecordedTip | null> {
    const [row] = await em.execute<TipRow[]>(`select * from tips_tips where creator_id = ? and idempotency_key = ?`, [creatorId, key]);
    if (!row) return null;
    if (row.request_hash !== hash) {
      throw new Problem(422, 'idempotency_key_reused', 'this idempotency key was already used for a different tip', {
        errors: [{ field: 'Idempotency-Key', rule: 'reused', message: 'the key belongs to a tip with other details' }],
      });
    }
    const s = await this.#sessions.get(em, creatorId, row.session_id);
    const update: StreamSessionUpdate = {
      sessionId: s.id,
      status: s.status,
      totalTipsCents: s.totalTipsCents,
      tipCount: s.tipCount,
      tipperCount: s.tipperCount,
      biggestTipCents: s.biggestTipCents,
      viewerCount: s.viewerCount,
      peakViewers: s.peakViewers,
    };
    return { tip: toDto(row), sessionTotals: totalsOf(update), session: update, replayed: true };
  }

  /** Only a tokens-only tip needs the session's platform (for its rate); anything else saves the read. */
  async #amount(em: EntityManager, creatorId: string, input: TipInput) {
    let centsPerToken = input.centsPerToken;
    let amountCents = input.amountCents;
    if (amountCents === undefined) {
      if (input.tokens === undefined) throw fieldProblem(422, 'amountCents', 'required', 'give amountCents, or tokens');
      if (centsPerToken === undefined) {
        const { platform } = await this.#sessions.get(em, creatorId, input.sessionId).catch(sessionProblem);
        centsPerToken = this.#config.centsPerToken[platform];
        if (!centsPerToken) throw fieldProblem(422, 'centsPerToken', 'required', `no cents-per-token default for ${platform}; give centsPerToken or amountCents`);
      }
      amountCents = input.tokens * centsPerToken;
    }
    if (amountCents > this.#config.maxAmountCents) {
      throw fieldProblem(422, 'amountCents', 'too_big', `must be at most ${this.#config.maxAmountCents}`);
    }
    return { amountCents, tokens: input.tokens ?? null, centsPerToken: input.tokens !== undefined ? (centsPerToken ?? null) : null };
  }

  async #firstTipFrom(em: EntityManager, sessionId: string, tipperName: string): Promise<boolean> {
    const inserted = await em.execute<Array<{ session_id: string }>>(
      `insert into tips_session_tippers (session_id, tipper_key) values (?, ?) on conflict do nothing returning session_id`,
      [sessionId, tipperName.toLowerCase()],
    );
    return inserted.length > 0;
  }
}

/** The same tip retried hashes the same; key order and absent-vs-undefined do not matter. */
function requestHash(input: TipInput): string {
  const canonical = Object.keys(input)
    .sort()
    .filter((k) => input[k as keyof TipInput] !== undefined)
    .map((k) => [k, input[k as keyof TipInput]]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

function fieldProblem(status: number, field: string, rule: string, message: string): Problem {
  return new Problem(status, 'validation_failed', `${field}: ${message}`, { errors: [{ field, rule, message }] });
}

const totalsOf = ({ totalTipsCents, tipCount, tipperCount, biggestTipCents }: StreamSessionUpdate): SessionTotals => ({
  totalTipsCents,
  tipCount,
  tipperCount,
  biggestTipCents,
});

/**
 * Name the field: a client needs to know it was the session id that was wrong. A tip row
 * for a session that does not exist fails its foreign key, which is the same answer.
 */
function sessionProblem(error: unknown): never {
  const missing = (error as { code?: string }).code === '23503' || (error as { name?: string }).name === 'ForeignKeyConstraintViolationException';
  if (missing || (error instanceof Problem && error.status === 404)) {
    throw new Problem(404, 'session_not_found', 'sessionId: no session of yours has this id', {
      errors: [{ field: 'sessionId', rule: 'exists', message: 'no session of yours has this id' }],
    });
  }
  if (error instanceof Problem && error.code === 'session_ended') {
    throw new Problem(409, 'session_ended', 'sessionId: the session has ended; it takes no more tips', {
      errors: [{ field: 'sessionId', rule: 'active', message: 'the session has ended' }],
      extra: error.extra,
    });
  }
  throw error;
}

export function toDto(row: TipRow): TipDto {
  return {
    id: row.id,
    sessionId: row.session_id,
    creatorId: row.creator_id,
    amountCents: row.amount_cents,
    tokens: row.tokens,
    centsPerToken: row.cents_per_token,
    tipperName: row.tipper_name,
    message: row.message,
    isAnonymous: row.is_anonymous,
    source: row.source,
    externalEventId: row.external_event_id,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
