import { hash } from 'node:crypto';
import {
  preparedQuery,
  Problem,
  toSessionUpdate,
  type Clock,
  type EntityManager,
  type EventBus,
  type Realtime,
  type SessionsService,
  type StreamSessionUpdate,
  type TipSource,
  type ViewerStanding,
} from '@streaming-companion/sdk';
import type { TipsConfig } from './config.ts';
import { tipEvents, type RecordedTip, type RecordOptions, type SessionTotals, type TipDto, type TipInput, type TipsService } from './contract.ts';
import { StreamTipEntity, type StreamTip } from './entities/stream-tip.ts';

export interface TipRecorderDependencies {
  config: TipsConfig;
  sessions: SessionsService;
  clock: Clock;
  events: EventBus;
  realtime: Realtime;
}

/**
 * Records a tip: the row, the session's totals, `streaming.tip.received` and `tip_received`,
 * in one transaction. Retries under one idempotency key return the first tip; the same key
 * with a different tip is refused, and a unique index settles concurrent retries.
 */
export class TipRecorder implements TipsService {
  readonly #d: TipRecorderDependencies;

  constructor(dependencies: TipRecorderDependencies) {
    this.#d = dependencies;
  }

  async record(em: EntityManager, creatorId: string, input: TipInput, options: RecordOptions = {}): Promise<RecordedTip> {
    const key = options.idempotencyKey ?? (input.externalEventId ? `external:${input.source}:${input.externalEventId}` : undefined);
    const hash = key ? requestHash(input) : null;
    const { amountCents, tokens, centsPerToken } = await this.#amount(em, creatorId, input);
    const isAnonymous = input.isAnonymous ?? !input.tipperName;
    const tipperName = isAnonymous ? null : (input.tipperName ?? null);
    const { sessionId, source } = input;

    const outcome = await em
      .transactional(async (tx) => {
        const row = {
          id: crypto.randomUUID(),
          creatorId,
          sessionId,
          amountCents,
          tokens,
          centsPerToken,
          tipperName,
          message: input.message ?? null,
          isAnonymous,
          source,
          externalEventId: input.externalEventId ?? null,
          tipperStanding: input.tipperStanding ?? null,
          idempotencyKey: key ?? null,
          requestHash: hash,
          createdAt: this.#d.clock.now(),
          voidedAt: null,
          voidReason: null,
        };
        const { inserted, newTipper } = await insertTip(tx, row);
        if (!inserted) return null; // the key was used before: answer with that tip
        // This locks the session row, which every tip of the session needs: kept last but the announcements.
        const session = await this.#d.sessions.addTip(tx, creatorId, sessionId, { amountCents, newTipper });
        const tip = toDto(row);
        const sessionTotals = totalsOf(session);
        await this.#d.events.publish(tx, tipEvents.domain['streaming.tip.received'], {
          creatorId,
          amountCents,
          source,
          sessionId,
          tipId: tip.id,
          tipperName,
          tokens,
          centsPerToken,
          createdAt: tip.createdAt,
        });
        await this.#d.realtime.toSession(sessionId).publish(tx, tipEvents.socket.tip_received, { sessionId, tip, sessionTotals });
        return { tip, sessionTotals, session, replayed: false };
      })
      .catch(sessionProblem);
    return outcome ?? (await this.#replay(em, creatorId, key!, hash!));
  }

  /** A prepared statement: a tip's subscribers read it (analytics, speech, chatbot, menu), and the ORM's findOne costs more CPU than the statement. */
  async get(em: EntityManager, creatorId: string, tipId: string): Promise<TipDto | null> {
    const [row] = await preparedQuery<TipRow>(em, SELECT_TIP, [tipId, creatorId]);
    return row ? toDto(fromRow(row)) : null;
  }

  async sessionTips(em: EntityManager, creatorId: string, sessionId: string, limit: number): Promise<TipDto[]> {
    const tips = await em.find(StreamTipEntity, { creatorId, sessionId, voidedAt: null }, { orderBy: { createdAt: 'asc', id: 'asc' }, limit });
    return tips.map(toDto);
  }

  async #replay(em: EntityManager, creatorId: string, key: string, hash: string): Promise<RecordedTip> {
    const row = await em.findOneOrFail(StreamTipEntity, { creatorId, idempotencyKey: key });
    if (row.requestHash !== hash) {
      throw new Problem(422, 'idempotency_key_reused', 'this idempotency key was already used for a different tip', {
        errors: [{ field: 'Idempotency-Key', rule: 'reused', message: 'the key belongs to a tip with other details' }],
      });
    }
    const session = toSessionUpdate(await this.#d.sessions.get(em, creatorId, row.sessionId));
    return { tip: toDto(row), sessionTotals: totalsOf(session), session, replayed: true };
  }

  /** Only a tokens-only tip needs the session's platform (for its rate); anything else saves the read. */
  async #amount(em: EntityManager, creatorId: string, input: TipInput) {
    const { config } = this.#d;
    let centsPerToken = input.centsPerToken;
    let amountCents = input.amountCents;
    if (amountCents === undefined) {
      if (input.tokens === undefined) throw fieldProblem(422, 'amountCents', 'required', 'give amountCents, or tokens');
      if (centsPerToken === undefined) {
        const { platform } = await this.#d.sessions.get(em, creatorId, input.sessionId).catch(sessionProblem);
        centsPerToken = config.centsPerToken[platform];
        if (!centsPerToken) throw fieldProblem(422, 'centsPerToken', 'required', `no cents-per-token default for ${platform}; give centsPerToken or amountCents`);
      }
      amountCents = input.tokens * centsPerToken;
    }
    if (amountCents > config.maxAmountCents) {
      throw fieldProblem(422, 'amountCents', 'too_big', `must be at most ${config.maxAmountCents}`);
    }
    return { amountCents, tokens: input.tokens ?? null, centsPerToken: input.tokens !== undefined ? (centsPerToken ?? null) : null };
  }
}

/**
 * The tip, and its tipper's first tip in the session, in one statement: every tip's hot path,
 * and no read first (a retry is rare, and the unique key tells it apart in the same statement).
 * The tipper row is written only when the tip is, and says race-free whether the tipper is new.
 */
async function insertTip(tx: EntityManager, row: StreamTip): Promise<{ inserted: boolean; newTipper: boolean }> {
  const [result] = await preparedQuery<{ inserted: boolean; new_tipper: boolean }>(tx, INSERT_TIP, [
    row.id,
    row.creatorId,
    row.sessionId,
    row.amountCents,
    row.tokens,
    row.centsPerToken,
    row.tipperName,
    row.message,
    row.isAnonymous,
    row.source,
    row.externalEventId,
    row.tipperStanding == null ? null : JSON.stringify(row.tipperStanding),
    row.idempotencyKey,
    row.requestHash,
    row.createdAt,
    row.tipperName?.toLowerCase() ?? null,
  ]);
  return { inserted: result!.inserted, newTipper: result!.new_tipper };
}

const INSERT_TIP = `
  with tip as (
    insert into tips_tips (id, creator_id, session_id, amount_cents, tokens, cents_per_token, tipper_name, message, is_anonymous, source,
      external_event_id, tipper_standing, idempotency_key, request_hash, created_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
    on conflict (creator_id, idempotency_key) do nothing
    returning session_id
  ), tipper as (
    insert into tips_session_tippers (session_id, tipper_key)
    select tip.session_id, key.value from tip, (select ?::text as value) key where key.value is not null
    on conflict do nothing
    returning 1
  )
  select exists (select 1 from tip) as inserted, exists (select 1 from tipper) as new_tipper`;

/** A tip's columns as `fromRow` reads them. */
export const TIP_COLUMNS = `id, creator_id, session_id, amount_cents, tokens, cents_per_token, tipper_name, message, is_anonymous, source,
    external_event_id, tipper_standing, created_at, voided_at, void_reason`;

const SELECT_TIP = `select ${TIP_COLUMNS} from tips_tips where id = ? and creator_id = ?`;

export interface TipRow {
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
  tipper_standing: ViewerStanding | null;
  /** Timestamps come back as text. */
  created_at: string;
  voided_at: string | null;
  void_reason: string | null;
}

export const fromRow = (row: TipRow): TipFields => ({
  id: row.id,
  creatorId: row.creator_id,
  sessionId: row.session_id,
  amountCents: row.amount_cents,
  tokens: row.tokens,
  centsPerToken: row.cents_per_token,
  tipperName: row.tipper_name,
  message: row.message,
  isAnonymous: row.is_anonymous,
  source: row.source,
  externalEventId: row.external_event_id,
  tipperStanding: row.tipper_standing,
  createdAt: new Date(row.created_at),
  voidedAt: row.voided_at === null ? null : new Date(row.voided_at),
  voidReason: row.void_reason,
});

/** The same tip retried hashes the same; key order and absent-vs-undefined do not matter. */
function requestHash(input: TipInput): string {
  // The tipper's standing can change between a platform's redeliveries of one tip.
  const canonical = Object.keys(input)
    .sort()
    .filter((k) => k !== 'tipperStanding' && input[k as keyof TipInput] !== undefined)
    .map((k) => [k, input[k as keyof TipInput]]);
  return hash('sha256', JSON.stringify(canonical));
}

function fieldProblem(status: number, field: string, rule: string, message: string): Problem {
  return new Problem(status, 'validation_failed', `${field}: ${message}`, { errors: [{ field, rule, message }] });
}

export const totalsOf = ({ totalTipsCents, tipCount, tipperCount, biggestTipCents }: StreamSessionUpdate): SessionTotals => ({
  totalTipsCents,
  tipCount,
  tipperCount,
  biggestTipCents,
});

/** Name the field: a client needs to know it was the session id that was wrong. */
function sessionProblem(error: unknown): never {
  if (error instanceof Problem && error.status === 404) {
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

/** What a tip's answer is made of: its row but the idempotency key and request hash. */
type TipFields = Omit<StreamTip, 'idempotencyKey' | 'requestHash'>;

export function toDto(tip: TipFields): TipDto {
  return {
    id: tip.id,
    sessionId: tip.sessionId,
    creatorId: tip.creatorId,
    amountCents: tip.amountCents,
    tokens: tip.tokens ?? null,
    centsPerToken: tip.centsPerToken ?? null,
    tipperName: tip.tipperName ?? null,
    message: tip.message ?? null,
    isAnonymous: tip.isAnonymous,
    source: tip.source,
    externalEventId: tip.externalEventId ?? null,
    tipperStanding: tip.tipperStanding ?? null,
    createdAt: new Date(tip.createdAt).toISOString(),
    voidedAt: tip.voidedAt ? new Date(tip.voidedAt).toISOString() : null,
    voidReason: tip.voidReason ?? null,
  };
}
