import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BOOT_MS,
  call,
  creatorWithSession,
  embeddedMode,
  scaledConfigured,
  scaledMode,
  sessionTotals,
  startRealServer,
  storedTips,
  type Mode,
  type ServerProcess,
} from './support/recovery-kit.ts';

/**
 * Retries against the real server process (the plugin's own suite covers the same rules on a
 * test kernel, in packages/plugin-tips/test/tips.test.ts): one Idempotency-Key sent three times
 * in a row, eight times at once, and once more with a different tip.
 */

function retries(makeMode: () => Promise<Mode>): void {
  let mode: Mode;
  let server: ServerProcess;
  let base: string;

  beforeAll(async () => {
    mode = await makeMode();
    ({ server, base } = await startRealServer(mode));
  }, BOOT_MS);
  afterAll(async () => {
    if (server) {
      expect(server.errors(), 'error lines').toEqual([]);
      expect(await server.stop()).toBe(0);
    }
    await mode?.cleanup();
  }, 60_000);

  const post = (token: string, key: string, body: object) => call(base, 'POST', '/api/tips', { token, body, headers: { 'idempotency-key': key } });

  it('the same key three times in a row: one tip, the retries answer 200 with it', async () => {
    const { token, sessionId } = await creatorWithSession(base);
    const body = { sessionId, amountCents: 700, tipperName: 'Lu', message: 'again and again' };
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await post(token, 'retry-seq', body));
    expect(answers.map((a) => a.status)).toEqual([201, 200, 200]);
    expect(answers.map((a) => a.headers.get('idempotent-replayed'))).toEqual([null, 'true', 'true']);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await storedTips(base, token, sessionId)).toHaveLength(1);
    expect(await sessionTotals(base, token, sessionId)).toEqual({ totalTipsCents: 700, tipCount: 1 });
  });

  it('the same key eight times at once: one tip, one 201 and seven 200s', async () => {
    const { token, sessionId } = await creatorWithSession(base);
    const body = { sessionId, amountCents: 250, tipperName: 'Mo' };
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(token, 'retry-race', body)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await storedTips(base, token, sessionId)).toHaveLength(1);
    expect(await sessionTotals(base, token, sessionId)).toEqual({ totalTipsCents: 250, tipCount: 1 });
  });

  it('the same key with a different tip: 422 problem+json naming the key, nothing written', async () => {
    const { token, sessionId } = await creatorWithSession(base);
    expect((await post(token, 'retry-other', { sessionId, amountCents: 700 })).status).toBe(201);
    const other = await post(token, 'retry-other', { sessionId, amountCents: 900 });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(other.body).toMatchObject({ status: 422, code: 'idempotency_key_reused', errors: [expect.objectContaining({ field: 'Idempotency-Key' })] });
    // The same body under the key still replays the first tip.
    expect((await post(token, 'retry-other', { sessionId, amountCents: 700 })).status).toBe(200);
    expect(await storedTips(base, token, sessionId)).toHaveLength(1);
    expect(await sessionTotals(base, token, sessionId)).toEqual({ totalTipsCents: 700, tipCount: 1 });
  });
}

describe('idempotent retries, embedded (PGlite)', () => retries(embeddedMode));
describe.skipIf(!scaledConfigured)('idempotent retries, scaled (PostgreSQL + Redis)', () => retries(() => scaledMode()));
