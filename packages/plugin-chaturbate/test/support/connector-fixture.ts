import { randomBytes } from 'node:crypto';
import type { TestKernel } from '@streaming-companion/testing';
import { expect } from 'vitest';
import type { ConnectorStatus } from '../../src/index.ts';
import type { FakeEventsApi } from './fake-events-api.ts';

/** The plugin's config for a kernel talking to `fake`: short long polls and back-offs, so tests run in seconds. */
export function fastConfig(fake: FakeEventsApi) {
  return { baseUrl: fake.baseUrl, pollTimeoutSeconds: 1, backoffBaseMs: 50, backoffMaxMs: 400, watchdogEveryMs: 1_000 };
}

export interface ConnectedCreator {
  token: string;
  creatorId: string;
  username: string;
  /** The Events API token: what must never leak. */
  secret: string;
  eventsUrl: string;
  status(): Promise<ConnectorStatus>;
  goLive(): Promise<string>;
  end(sessionId: string): Promise<void>;
}

let rooms = 0;
/** Every connection made, so a test that fails half-way still leaves nothing polling (see `disconnectAll`). */
const connections: Array<{ t: TestKernel; token: string }> = [];

/** Remove every connection made so far: nothing is left polling, so `drain()` and `stop()` settle. */
export async function disconnectAll(): Promise<void> {
  for (const { t, token } of connections.splice(0)) await t.http.delete('/api/connectors/chaturbate', { token });
}

/** A fresh creator with a room on `fake`, connected through `PUT /api/connectors/chaturbate`. */
export async function connectCreator(t: TestKernel, fake: FakeEventsApi, options: { autoSession?: boolean; centsPerToken?: number } = {}): Promise<ConnectedCreator> {
  const { token, creator } = await t.createCreator();
  return connectAs(t, fake, { token, creatorId: creator.id }, options);
}

export async function connectAs(
  t: TestKernel,
  fake: FakeEventsApi,
  who: { token: string; creatorId: string },
  options: { autoSession?: boolean; centsPerToken?: number } = {},
): Promise<ConnectedCreator> {
  const username = `room${++rooms}_${randomBytes(3).toString('hex')}`;
  const secret = randomBytes(16).toString('hex');
  const eventsUrl = fake.room(username, secret);
  const saved = await t.http.put('/api/connectors/chaturbate', { token: who.token, body: { eventsUrl, ...options } });
  connections.push({ t, token: who.token });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  const status = async () => (await t.http.get<ConnectorStatus>('/api/connectors/chaturbate', { token: who.token })).body;
  return {
    ...who,
    username,
    secret,
    eventsUrl,
    status,
    /** Start a Chaturbate session, and wait for polling to reach the fake. */
    async goLive() {
      const seen = fake.requests(username).length;
      const started = await t.http.post('/api/sessions', { token: who.token, body: { platform: 'chaturbate' } });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      await expect.poll(() => fake.requests(username).length).toBeGreaterThan(seen);
      return started.body.id as string;
    },
    /** End the session, and wait for polling to stop. */
    async end(sessionId: string) {
      expect((await t.http.post(`/api/sessions/${sessionId}/end`, { token: who.token })).status).toBe(200);
      await expect.poll(async () => (await status()).state).toBe('idle');
    },
  };
}
