/**
 * Chaos suite: one creator against another. Every authenticated route of the OpenAPI document is
 * tried with creator B's login token and B's personal API token against creator A's ids (a live
 * and an ended session, a note, a tip, a goal, a menu item, an animation rule, an API token, a
 * rehearsal, a Chaturbate connection, a webhook endpoint and its delivery):
 * each is refused as if the id did not exist, no answer carries anything of A's, and A's rows are
 * exactly what they were. On `/streaming`, B cannot join, feed or tip A's session and hears
 * nothing of it; on `/streaming/overlay`, rotating A's key cuts off A's overlays and the old key
 * joins nothing.
 */
import { randomUUID } from 'node:crypto';
import type { TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  databaseSnapshot,
  fillPath,
  loadOperations,
  opName,
  PNG_1X1,
  problemFaults,
  RawSocketIo,
  resourceOf,
  send,
  snapshotDiff,
  startFullKernel,
  upload,
  WAV_HEADER,
  type JsonSchema,
  type LogLine,
  type Operation,
} from './api-surface.ts';

/** Planted in A's data: no answer to B may contain it. */
const SECRET = 'A-SECRET';
/** A's Chaturbate token: neither it nor its end may reach B. */
const A_PLATFORM_TOKEN = 'aplatformtokenQ7x9';

let t: TestKernel;
let errors: LogLine[];
let operations: Operation[];

interface CreatorA {
  token: string;
  id: string;
  apiToken: { id: string; token: string };
  liveSessionId: string;
  endedSessionId: string;
  goalId: string;
  itemId: string;
  ruleId: string;
  tipId: string;
  rehearsalId: string;
  personaId: string;
  templateId: string;
  soundId: string;
  imageId: string;
  overlayKey: string;
  webhookId: string;
  webhookDeliveryId: string;
}
let a: CreatorA;
let b: { token: string; id: string; apiToken: string; sessionId: string };
/** Every id and secret of A's, for the leak checks. */
let aSecrets: string[];
let aRowsBefore: Record<string, string[]>;
/** A row is A's when its JSON names A or one of A's sessions. */
const isAs = (row: string) => [a.id, a.liveSessionId, a.endedSessionId].some((id) => row.includes(id));

beforeAll(async () => {
  ({ t, errors } = await startFullKernel());
  operations = await loadOperations(t);
  const made = async (token: string, method: 'post' | 'put', path: string, body: unknown) => {
    const res = await t.http[method](path, { token, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  const creatorA = await t.createCreator({ displayName: `${SECRET} name` });
  const tokenA = creatorA.token;
  const apiToken = await made(tokenA, 'post', '/api/auth/tokens', { name: `${SECRET} token` });
  const ended = await made(tokenA, 'post', '/api/sessions', { platform: 'chaturbate', title: `${SECRET} yesterday` });
  await made(tokenA, 'post', `/api/sessions/${ended.id}/notes`, { text: `${SECRET} old note` });
  await made(tokenA, 'post', `/api/sessions/${ended.id}/end`, {});
  // Before A goes live (a rehearsal needs no live session); stopped, its jobs only end it.
  const rehearsal = await made(tokenA, 'post', '/api/rehearsals', { simulate: { tipCount: 1, durationSeconds: 5 }, speed: 5 });
  await made(tokenA, 'post', `/api/rehearsals/${rehearsal.id}/stop`, {});
  await made(tokenA, 'put', '/api/connectors/chaturbate', { eventsUrl: `https://eventsapi.chaturbate.com/events/aroom/${A_PLATFORM_TOKEN}/` });
  const live = await made(tokenA, 'post', '/api/sessions', { platform: 'stripchat', title: `${SECRET} live`, metadata: { secret: SECRET } });
  await made(tokenA, 'post', `/api/sessions/${live.id}/notes`, { text: `${SECRET} note` });
  const goal = await made(tokenA, 'post', '/api/goals', { sessionId: live.id, title: `${SECRET} goal`, targetCents: 100_000 });
  const item = await made(tokenA, 'post', '/api/menu', { title: `${SECRET} item`, priceCents: 555 });
  const rule = await made(tokenA, 'post', '/api/animations/rules', { minAmountCents: 100, type: 'hearts' });
  const persona = await made(tokenA, 'post', '/api/chatbot/personas', { name: `${SECRET} bot`, triggers: [{ type: 'command', command: '!secret' }] });
  const template = await made(tokenA, 'post', `/api/chatbot/personas/${persona.id}/templates`, { text: `${SECRET} reply` });
  await made(tokenA, 'put', '/api/tts/settings', { enabled: true, filterWords: [`${SECRET}word`] });
  await made(tokenA, 'put', '/api/animations/settings', { cooldownMs: 1_234, maxConcurrent: 3, effectMs: 4_321 });
  const webhook = await made(tokenA, 'post', '/api/webhooks', { url: `http://127.0.0.1:9/${SECRET}`, events: ['streaming.tip.received'], description: `${SECRET} hook` });
  const webhookPing = await made(tokenA, 'post', `/api/webhooks/${webhook.id}/test`, {});
  const tip = await made(tokenA, 'post', '/api/tips', { sessionId: live.id, amountCents: 777, tipperName: `${SECRET}fan`, message: `${SECRET} message` });
  const sound = await upload(t, tokenA, 'sound', WAV_HEADER, 'audio/wav');
  const image = await upload(t, tokenA, 'image', PNG_1X1, 'image/png');
  await made(tokenA, 'put', '/api/widgets/settings/alerts', { template: `${SECRET} {name}`, soundId: sound.id, imageId: image.id });
  const overlayKey = (await t.http.get('/api/overlay-key', { token: tokenA })).body.overlayKey as string;
  a = {
    token: tokenA,
    id: creatorA.creator.id,
    apiToken: { id: apiToken.id, token: apiToken.token },
    liveSessionId: live.id,
    endedSessionId: ended.id,
    goalId: goal.id,
    itemId: item.id,
    ruleId: rule.id,
    tipId: tip.id,
    rehearsalId: rehearsal.id,
    personaId: persona.id,
    templateId: template.id,
    soundId: sound.id,
    imageId: image.id,
    overlayKey,
    webhookId: webhook.id,
    webhookDeliveryId: webhookPing.id,
  };
  aSecrets = [webhook.secret, a.webhookId, a.webhookDeliveryId, SECRET, A_PLATFORM_TOKEN, 'Q7x9', a.id, a.apiToken.id, a.apiToken.token, a.liveSessionId, a.endedSessionId, a.goalId, a.itemId, a.ruleId, a.tipId, a.rehearsalId, a.personaId, a.templateId, a.soundId, a.imageId, a.overlayKey];

  const creatorB = await t.createCreator({ displayName: 'B' });
  const apiB = await made(creatorB.token, 'post', '/api/auth/tokens', { name: 'B bot' });
  const sessionB = await made(creatorB.token, 'post', '/api/sessions', { platform: 'other', title: 'B live' });
  b = { token: creatorB.token, id: creatorB.creator.id, apiToken: apiB.token, sessionId: sessionB.id };

  await t.drain();
  aRowsBefore = await databaseSnapshot(t, isAs);
});

afterAll(() => t?.stop());

// ---------- requests that name A's things ----------

/** A's ids a path names, by the resource before the parameter (`/api/goals/{id}` → A's goal). */
function aIdsFor(op: Operation, param: string): string[] {
  switch (resourceOf(op.path, param)) {
    case 'sessions':
      return [a.liveSessionId, a.endedSessionId];
    case 'goals':
      return [a.goalId];
    case 'menu':
      return [a.itemId];
    case 'rules':
      return [a.ruleId];
    case 'tokens':
      return [a.apiToken.id];
    case 'rehearsals':
      return [a.rehearsalId];
    case 'personas':
      return [a.personaId];
    case 'templates':
      return [a.templateId];
    case 'tips':
      return [a.tipId];
    case 'media':
      return [a.soundId, a.imageId];
    case 'webhooks':
      return [a.webhookId];
    case 'deliveries':
      return [a.webhookDeliveryId];
    default:
      throw new Error(`${opName(op)}: which of A's resources does {${param}} name? Add it to aIdsFor`);
  }
}

/** Valid bodies (so a refusal is about ownership, not validation); uuid members point at A's. */
const BODIES: Record<string, () => Record<string, unknown>> = {
  'POST /api/auth/tokens': () => ({ name: 'B token' }),
  'POST /api/sessions': () => ({ platform: 'other' }),
  'PATCH /api/sessions/{id}': () => ({ title: 'taken over' }),
  'POST /api/sessions/{id}/notes': () => ({ text: 'taken over' }),
  'POST /api/tips': () => ({ sessionId: a.liveSessionId, amountCents: 100 }),
  'POST /api/tips/{id}/void': () => ({ reason: 'taken over' }),
  'POST /api/goals': () => ({ sessionId: a.liveSessionId, title: 'taken over', targetCents: 100 }),
  'PATCH /api/goals/{id}': () => ({ title: 'taken over' }),
  'POST /api/animations/trigger': () => ({ sessionId: a.liveSessionId, type: 'confetti' }),
  'POST /api/animations/rules': () => ({ minAmountCents: 100, type: 'rain' }),
  'PATCH /api/animations/rules/{id}': () => ({ intensity: 9 }),
  'PUT /api/animations/settings': () => ({ cooldownMs: 0, maxConcurrent: 1, effectMs: 500 }),
  'POST /api/menu': () => ({ title: 'B item', priceCents: 100 }),
  'PATCH /api/menu/{id}': () => ({ title: 'taken over' }),
  'POST /api/menu/reorder': () => ({ ids: [a.itemId] }),
  'POST /api/rehearsals': () => ({ fromSessionId: a.endedSessionId, speed: 5 }),
  'POST /api/chatbot/personas': () => ({ name: 'B bot' }),
  'PATCH /api/chatbot/personas/{id}': () => ({ name: 'taken over' }),
  'POST /api/chatbot/personas/{id}/templates': () => ({ text: 'taken over' }),
  'PATCH /api/chatbot/personas/{id}/templates/{templateId}': () => ({ text: 'taken over' }),
  'POST /api/chatbot/try': () => ({ message: '!secret' }),
  'PUT /api/tts/settings': () => ({ enabled: false }),
  'POST /api/tts/preview': () => ({ text: 'hello there' }),
  'POST /api/tts/control': () => ({ sessionId: a.liveSessionId, action: 'mute' }),
  'PUT /api/connectors/chaturbate': () => ({ eventsUrl: 'https://eventsapi.chaturbate.com/events/broom/btoken5678/' }),
  'PUT /api/widgets/settings/display': () => ({ kind: 'currency', currency: 'EUR' }),
  'PUT /api/widgets/settings/alerts': () => ({ soundId: a.soundId, imageId: a.imageId }),
  'POST /api/webhooks': () => ({ url: 'http://127.0.0.1:9/b-hooks', events: ['streaming.tip.received'] }),
  'PATCH /api/webhooks/{id}': () => ({ url: 'http://127.0.0.1:9/taken-over', active: false }),
};

/** Routes that take a file, not JSON: a valid one of B's own (so a refusal is about ownership). */
const UPLOADS: Record<string, { query: string; bytes: Uint8Array; contentType: string }> = {
  'POST /api/widgets/media': { query: '?kind=image&name=b.png', bytes: PNG_1X1, contentType: 'image/png' },
};

/** A minimal valid body from the schema, for a route added since BODIES was written: uuid members point at A's live session. */
function bodyFromSchema(schema: JsonSchema): Record<string, unknown> {
  const value = (s: JsonSchema): unknown => {
    if (s.anyOf ?? s.oneOf) return value((s.anyOf ?? s.oneOf)![0]!);
    if (s.enum) return s.enum[0];
    if (s.type === 'string') return s.format === 'uuid' ? a.liveSessionId : 'x'.repeat(Math.max(1, s.minLength ?? 1));
    if (s.type === 'integer' || s.type === 'number') return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
    if (s.type === 'boolean') return true;
    if (s.type === 'array') return s.items ? [value(s.items)] : [];
    if (s.type === 'object') return bodyFromSchema(s);
    return null;
  };
  return Object.fromEntries((schema.required ?? []).map((key) => [key, value(schema.properties?.[key] ?? {})]));
}

/** `text` with each of A's ids it carries replaced by a fresh UUID of no one's. */
function unknownIds(text: string, ids: string[]): string {
  return ids.reduce((out, id) => out.replaceAll(id, randomUUID()), text);
}

interface Attempt {
  label: string;
  path: string;
  body?: string | Uint8Array;
  /** For a file body; JSON otherwise. */
  contentType?: string;
  /** Names one of A's ids (path, query or body): must be refused. */
  targetsA: boolean;
  /** The A ids this request itself carries (an answer may echo them back, but nothing else of A's). */
  sent: string[];
}

function attempts(op: Operation): Attempt[] {
  const out: Attempt[] = [];
  const bodyFor = () => (op.body ? (BODIES[opName(op)] ?? (() => bodyFromSchema(op.body!.schema)))() : undefined);
  const queryFor = () => (op.query.some((q) => q.name === 'sessionId') ? `?sessionId=${a.liveSessionId}` : '');
  const paramSets: Array<Record<string, string>> = op.pathParams.length
    ? op.pathParams.reduce<Array<Record<string, string>>>((sets, p) => sets.flatMap((set) => aIdsFor(op, p).map((id) => ({ ...set, [p]: id }))), [{}])
    : [{}];
  const file = UPLOADS[opName(op)];
  if (op.upload && !file) throw new Error(`${opName(op)} takes a file: add one of B's to UPLOADS`);
  for (const params of paramSets) {
    if (file) {
      const path = fillPath(op.path, params) + file.query;
      out.push({ label: `${op.method} ${path} (${file.contentType})`, path, body: file.bytes, contentType: file.contentType, targetsA: false, sent: [] });
      continue;
    }
    const body = bodyFor();
    const path = fillPath(op.path, params) + queryFor();
    const bodyText = body === undefined ? undefined : JSON.stringify(body);
    const sent = aSecrets.filter((s) => path.includes(s) || bodyText?.includes(s));
    out.push({ label: `${op.method} ${path}${bodyText ? ` ${bodyText}` : ''}`, path, body: bodyText, targetsA: sent.length > 0, sent });
  }
  return out;
}

describe('creator B against creator A, on every authenticated route', () => {
  it('every authenticated route, with B’s login token and B’s API token, answers A’s ids exactly as ids of no one’s (404), and nothing of A’s', async () => {
    const authenticated = operations.filter((op) => op.auth);
    expect(authenticated.length).toBeGreaterThan(30);
    const failures: string[] = [];
    const table: string[] = [];
    const notRefused: string[] = [];
    for (const [credential, token] of [
      ['login token', b.token],
      ['API token', b.apiToken],
    ] as const) {
      for (const op of authenticated) {
        for (const attempt of attempts(op)) {
          const answer = await send(t, op.method, attempt.path, { token, body: attempt.body, contentType: attempt.body === undefined ? undefined : (attempt.contentType ?? 'application/json') });
          table.push(`${credential}  ${attempt.label.slice(0, 110)}  → ${answer.status}`);
          const fail = (why: string) => failures.push(`${credential}: ${attempt.label}\n    → ${answer.status} ${answer.text.slice(0, 300)}\n    ${why}`);
          if (answer.networkError || answer.status >= 500) fail('no answer, or a 5xx');
          if (answer.status >= 400 && problemFaults(answer).faults.length) fail(problemFaults(answer).faults.join('; '));
          const problem = problemFaults(answer).problem;
          if (answer.status === 400 && problem?.errors?.some((e) => /^(body|query|params)\./.test(String(e.field)))) fail('refused for its input, not for whose it is: fix the test body');
          if (attempt.targetsA) {
            // As if missing: the same request naming ids of no one's gets the same answer.
            const twin = await send(t, op.method, unknownIds(attempt.path, attempt.sent), {
              token,
              body: typeof attempt.body === 'string' ? unknownIds(attempt.body, attempt.sent) : attempt.body,
              contentType: attempt.body === undefined ? undefined : 'application/json',
            });
            const twinCode = twin.status >= 400 ? problemFaults(twin).problem?.code : undefined;
            if (twin.status !== answer.status || twinCode !== problem?.code) fail(`ids of no one's answer ${twin.status} ${twinCode ?? ''}: A’s ids are told apart`);
            if (answer.status < 400) notRefused.push(`${credential}  ${attempt.label}  → ${answer.status} ${answer.text.slice(0, 80)} (the same as for ids of no one's)`);
            else if (![401, 403, 404, 422].includes(answer.status)) fail('A’s id was not refused as missing (404), forbidden or not one of B’s (422)');
          }
          const leaked = aSecrets.filter((s) => !attempt.sent.includes(s) && answer.text.includes(s));
          if (leaked.length) fail(`the answer carries A’s ${leaked.join(', ')}`);
        }
      }
    }
    // eslint-disable-next-line no-console
    console.log(`cross-creator attempts:\n  ${table.join('\n  ')}`);
    expect(failures).toEqual([]);
    // Filters, not lookups: `GET /api/tips?sessionId=` lists B's tips of that session, none (as the tips plugin's own test pins).
    expect(notRefused.map((line) => line.replace(/^.*?  (\w+ \S+?)\?.*$/, '$1'))).toEqual(notRefused.map(() => 'GET /api/tips'));
    expect(errors.map((e) => e.msg)).toEqual([]);
  });
});

// ---------- sockets ----------

describe('creator B against creator A, on /streaming', () => {
  let sockets: Array<{ credential: string; socket: RawSocketIo }>;
  beforeAll(async () => {
    sockets = [
      { credential: 'login token', socket: await RawSocketIo.connect(t.url, '/streaming', { token: b.token }) },
      { credential: 'API token', socket: await RawSocketIo.connect(t.url, '/streaming', { token: b.apiToken }) },
    ];
  });
  afterAll(() => sockets?.forEach(({ socket }) => socket.close()));

  it('B cannot join, feed or tip A’s session: each command is refused with an error event and a failed ack', async () => {
    for (const { credential, socket } of sockets) {
      for (const [event, payload] of [
        ['join_session', { sessionId: a.liveSessionId }],
        ['join_session', { sessionId: a.endedSessionId }],
        ['update_viewers', { sessionId: a.liveSessionId, viewerCount: 99_999 }],
        ['add_tip', { sessionId: a.liveSessionId, amountCents: 100, tipperName: 'B', clientTipId: randomUUID() }],
      ] as const) {
        const errorsBefore = socket.events.filter((e) => e.name === 'error').length;
        const ack = await socket.emitWithAck(event, JSON.stringify(payload));
        expect(ack, `${credential} ${event}`).toMatchObject({ ok: false, error: { code: expect.stringMatching(/not_found|forbidden/) } });
        expect(JSON.stringify(ack)).not.toContain(SECRET);
        expect(socket.events.filter((e) => e.name === 'error').length).toBe(errorsBefore + 1);
        expect(socket.connected).toBe(true);
      }
    }
  });

  it('A’s rows are exactly what they were', async () => {
    await t.drain();
    expect(snapshotDiff(aRowsBefore, await databaseSnapshot(t, isAs))).toEqual({});
    // A's API token, which B tried to revoke, still works.
    expect((await t.http.get('/api/auth/me', { token: a.apiToken.token })).body).toMatchObject({ id: a.id });
  });

  it('while A streams (tips, viewers, goal progress, animations, session changes), B’s sockets hear nothing of it', async () => {
    const seenBefore = sockets.map(({ socket }) => socket.events.length);
    const socketA = await RawSocketIo.connect(t.url, '/streaming', { token: a.token });
    expect(await socketA.emitWithAck('join_session', JSON.stringify({ sessionId: a.liveSessionId }))).toMatchObject({ ok: true });
    // A's stream: a tip (moving the goal), a socket tip, viewers, an animation, a title change, a note.
    expect((await t.http.post('/api/tips', { token: a.token, body: { sessionId: a.liveSessionId, amountCents: 2_500, tipperName: `${SECRET}2` } })).status).toBe(201);
    expect(await socketA.emitWithAck('add_tip', JSON.stringify({ sessionId: a.liveSessionId, amountCents: 300, clientTipId: randomUUID() }))).toMatchObject({ ok: true });
    expect(await socketA.emitWithAck('update_viewers', JSON.stringify({ sessionId: a.liveSessionId, viewerCount: 42 }))).toMatchObject({ ok: true });
    expect((await t.http.post('/api/animations/trigger', { token: a.token, body: { sessionId: a.liveSessionId, type: 'confetti' } })).status).toBeLessThan(300);
    expect((await t.http.patch(`/api/sessions/${a.liveSessionId}`, { token: a.token, body: { title: `${SECRET} renamed` } })).status).toBe(200);
    await t.drain();
    // A hears its own stream (so there was something to leak)…
    await expect.poll(() => socketA.events.map((e) => e.name)).toEqual(expect.arrayContaining(['tip_received', 'goal_progress', 'session_updated']));
    // …B hears none of it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    sockets.forEach(({ credential, socket }, i) => {
      const heard = socket.events.slice(seenBefore[i]);
      expect(heard.filter((e) => aSecrets.some((s) => JSON.stringify(e).includes(s))), credential).toEqual([]);
      expect(heard.map((e) => e.name), credential).toEqual([]);
    });
    socketA.close();
  });
});

describe('A’s overlay key', () => {
  it('rotating it disconnects every overlay of A’s (joined by key or by session), and the old key joins nothing', async () => {
    const byKey = await RawSocketIo.connect(t.url, '/streaming/overlay');
    expect(await byKey.emitWithAck('join_overlay', JSON.stringify({ overlayKey: a.overlayKey }))).toMatchObject({ ok: true });
    const bySession = await RawSocketIo.connect(t.url, '/streaming/overlay');
    expect(await bySession.emitWithAck('join_overlay', JSON.stringify({ sessionId: a.liveSessionId }))).toMatchObject({ ok: true });
    // B rotating its own key touches none of A's overlays.
    expect((await t.http.post('/api/overlay-key/rotate', { token: b.token })).status).toBe(200);
    expect(await byKey.waitForClose(500)).toBe(false);

    const rotated = await t.http.post('/api/overlay-key/rotate', { token: a.token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.overlayKey).not.toBe(a.overlayKey);
    expect(await byKey.waitForClose(5_000)).toBe(true);
    expect(await bySession.waitForClose(5_000)).toBe(true);

    const late = await RawSocketIo.connect(t.url, '/streaming/overlay');
    const refused = await late.emitWithAck('join_overlay', JSON.stringify({ overlayKey: a.overlayKey }));
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(late.events.filter((e) => e.name !== 'error')).toEqual([]);
    // The new key joins, and gets A's live session.
    expect(await late.emitWithAck('join_overlay', JSON.stringify({ overlayKey: rotated.body.overlayKey }))).toMatchObject({ ok: true });
    await expect.poll(() => late.events.some((e) => e.name === 'session_updated' && JSON.stringify(e.args).includes(a.liveSessionId))).toBe(true);
    late.close();
    expect(errors.map((e) => e.msg)).toEqual([]);
  });
});
