import { randomInt, randomUUID } from 'node:crypto';
import { conflict, LockMode, notFound, Problem, type EntityManager, type SessionsService, type StreamSessionDto } from '@streaming-companion/sdk';
import type { GoalsService } from '@streaming-companion/plugin-goals/contract';
import type { TipsService } from '@streaming-companion/plugin-tips/contract';
import type { RehearsalConfig } from './config.ts';
import { MAX_REHEARSAL_TIPS, type RehearsalDto, type RehearsalSpeed } from './contract.ts';
import { cueRow } from './cue-rows.ts';
import type { Cue } from './cue.ts';
import { RehearsalCueEntity } from './entities/rehearsal-cue.ts';
import { RehearsalEntity, type Rehearsal } from './entities/rehearsal.ts';
import type { RehearsalPlayback } from './playback.ts';
import { recordedEvents } from './recording.ts';
import { replayedSession } from './replayed-session.ts';
import { simulateTips, type SimulateOptions } from './simulated-tips.ts';

/** What starts a rehearsal: exactly one of a past session to replay or tips to simulate (the route's schema sees to it). */
export interface StartRehearsal {
  speed: RehearsalSpeed;
  fromSessionId?: string;
  simulate?: Omit<SimulateOptions, 'seed'> & { seed?: number };
}

export interface RehearsalsDependencies {
  sessions: SessionsService;
  tips: TipsService;
  /** Absent when the goals plugin is not loaded: a replay then copies no goals. */
  goals: GoalsService | undefined;
  playback: RehearsalPlayback;
  config: RehearsalConfig;
}

const TITLE_MAX = 200;

/** A creator's rehearsals: started in a session of their own, looked at, stopped. */
export class Rehearsals {
  readonly #d: RehearsalsDependencies;

  constructor(dependencies: RehearsalsDependencies) {
    this.#d = dependencies;
  }

  /**
   * Start a session flagged `rehearsal` (so overlays following the creator's active session
   * play it) and its cues' jobs; a replay's session gets the source's goals, empty. A creator
   * rehearses before going live: a 409 while any session is.
   */
  async start(em: EntityManager, creatorId: string, input: StartRehearsal): Promise<RehearsalDto> {
    const { sessions, tips, goals, playback, config } = this.#d;
    // Whose the source is comes first: another creator's session is a 404 whether or not one is live.
    const source = input.fromSessionId ? await ownSource(em, sessions, creatorId, input.fromSessionId) : null;
    await refuseWhileLive(em, sessions, creatorId);
    const cues: Cue[] = source
      ? replayedSession(source.startedAt, await tips.sessionTips(em, creatorId, source.id, MAX_REHEARSAL_TIPS), await recordedEvents(em, creatorId, source.id))
      : simulateTips({ ...input.simulate!, seed: input.simulate!.seed ?? randomInt(2 ** 32) });
    if (!cues.length) throw fieldProblem(422, 'fromSessionId', 'has_events', 'the session has no tips, chat or viewer counts to replay');
    const count = (kind: Cue['kind']) => cues.filter((cue) => cue.kind === kind).length;

    const { rehearsal, rows } = await em.transactional(async (tx) => {
      const session = await sessions.start(tx, creatorId, { platform: source?.platform ?? 'other', title: titleFor(source), rehearsal: true });
      if (source && goals) await copyGoals(tx, goals, creatorId, source.id, session.id);
      const startedAt = new Date(session.startedAt);
      const lastOffsetMs = cues.at(-1)!.offsetMs;
      const created = tx.create(RehearsalEntity, {
        id: randomUUID(),
        creatorId,
        sessionId: session.id,
        sourceSessionId: source?.id ?? null,
        speed: input.speed,
        tipCount: count('tip'),
        chatCount: count('chat'),
        viewerReportCount: count('viewers'),
        played: 0,
        status: 'playing',
        startedAt,
        endsAt: new Date(startedAt.getTime() + Math.round(lastOffsetMs / input.speed) + config.lingerSeconds * 1_000),
      });
      return { rehearsal: created, rows: cues.map((cue, index) => tx.create(RehearsalCueEntity, { rehearsalId: created.id, index, ...cueRow(cue), playedAt: null })) };
    });
    await playback.schedule(rehearsal, rows);
    return toDto(rehearsal);
  }

  async get(em: EntityManager, creatorId: string, rehearsalId: string): Promise<RehearsalDto> {
    const rehearsal = await em.findOne(RehearsalEntity, { id: rehearsalId, creatorId });
    if (!rehearsal) throw notFound('rehearsal');
    return toDto(rehearsal);
  }

  /** Newest first. */
  async list(em: EntityManager, creatorId: string, limit: number): Promise<RehearsalDto[]> {
    return (await em.find(RehearsalEntity, { creatorId }, { orderBy: { startedAt: 'desc', id: 'desc' }, limit })).map(toDto);
  }

  /** End its session now; its remaining jobs find it stopped. Stopping a stopped or finished one answers it unchanged. */
  async stop(em: EntityManager, creatorId: string, rehearsalId: string): Promise<RehearsalDto> {
    const rehearsal = await em.transactional(async (tx) => {
      const found = await tx.findOne(RehearsalEntity, { id: rehearsalId, creatorId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!found) throw notFound('rehearsal');
      if (found.status === 'playing') {
        await this.#d.sessions.end(tx, creatorId, found.sessionId);
        found.status = 'stopped';
      }
      return found;
    });
    return toDto(rehearsal);
  }
}

/** The source's goals into the rehearsal's session: same titles, targets and order, nothing reached yet, so its bars fill as they did. */
async function copyGoals(tx: EntityManager, goals: GoalsService, creatorId: string, sourceId: string, sessionId: string): Promise<void> {
  for (const goal of await goals.list(tx, creatorId, sourceId)) {
    await goals.create(tx, creatorId, { sessionId, title: goal.title, description: goal.description, targetCents: goal.targetCents });
  }
}

async function refuseWhileLive(em: EntityManager, sessions: SessionsService, creatorId: string): Promise<void> {
  const active = await sessions.getActive(em, creatorId);
  if (!active) return;
  throw conflict(
    'session_already_active',
    active.rehearsal ? `rehearsal session ${active.id} is still playing; stop it before starting another` : `session ${active.id} is live; rehearse before going live`,
    { activeSessionId: active.id },
  );
}

/** The session to replay: the creator's own (another creator's is as missing as an unknown one). */
async function ownSource(em: EntityManager, sessions: SessionsService, creatorId: string, sessionId: string): Promise<StreamSessionDto> {
  return sessions.require(em, creatorId, sessionId).catch((error: unknown) => {
    if (error instanceof Problem && error.status === 404) throw fieldProblem(404, 'fromSessionId', 'exists', 'no session of yours has this id', 'session_not_found');
    throw error;
  });
}

function titleFor(source: StreamSessionDto | null): string {
  if (!source) return 'Rehearsal: simulated tips';
  return `Rehearsal: ${source.title ?? `replay of ${source.startedAt.slice(0, 10)}`}`.slice(0, TITLE_MAX);
}

function fieldProblem(status: number, field: string, rule: string, message: string, code = 'validation_failed'): Problem {
  return new Problem(status, code, `${field}: ${message}`, { errors: [{ field, rule, message }] });
}

function toDto(rehearsal: Rehearsal): RehearsalDto {
  return {
    id: rehearsal.id,
    sessionId: rehearsal.sessionId,
    sourceSessionId: rehearsal.sourceSessionId ?? null,
    speed: rehearsal.speed as RehearsalSpeed,
    tipCount: rehearsal.tipCount,
    chatCount: rehearsal.chatCount,
    viewerReportCount: rehearsal.viewerReportCount,
    played: rehearsal.played,
    status: rehearsal.status,
    startedAt: rehearsal.startedAt.toISOString(),
    endsAt: rehearsal.endsAt.toISOString(),
  };
}
