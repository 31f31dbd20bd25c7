import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startTestIssuer, startTestKernel, type TestIssuer, type TestKernel, type TestResponse } from '@streaming-companion/testing';
import { generateKeyPair, type CryptoKey } from 'jose';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Creator } from '../src/entities/creator.ts';
import type { Kernel } from '../src/kernel.ts';

describe('SSO mode (AUTH_MODE=sso)', () => {
  let t: TestKernel;
  let issuer: TestIssuer;
  let strangerKey: CryptoKey;

  const newSubject = () => `user-${randomBytes(6).toString('hex')}`;
  const ssoToken = (claims: { sub: string; email?: string; name?: string }, options: { iss?: string; exp?: number | string; key?: CryptoKey } = {}) =>
    issuer.sign(claims, options);
  const creatorsWithSubject = (subject: string) => (t.kernel as Kernel).forkEm().count(Creator, { ssoSubject: subject });

  function expectProblem(response: TestResponse, status: number, code: string) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status, code });
  }

  beforeAll(async () => {
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    issuer = await startTestIssuer();
    t = await startTestKernel({ env: { AUTH_MODE: 'sso', SSO_URL: issuer.issuer } });
  });
  afterAll(async () => {
    await t?.stop();
    await issuer?.close();
  });

  it('accepts a valid issuer JWT on GET /api/auth/me and creates the creator once', async () => {
    const sub = newSubject();
    const token = await ssoToken({ sub, email: 'Streamer@Example.TEST', name: 'Streamer One' });
    const first = await t.http.get('/api/auth/me', { token });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ id: expect.any(String), email: 'streamer@example.test', displayName: 'Streamer One', createdAt: expect.any(String) });

    // A later token for the same subject (new claims) is the same creator; no second row.
    const second = await t.http.get('/api/auth/me', { token: await ssoToken({ sub, email: 'streamer@example.test', name: 'Renamed' }) });
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect(await creatorsWithSubject(sub)).toBe(1);
  });

  it('creates one creator when the first requests for a subject arrive together', async () => {
    const sub = newSubject();
    const token = await ssoToken({ sub, email: `${sub}@example.test`, name: 'Racer' });
    const responses = await Promise.all(Array.from({ length: 8 }, () => t.http.get('/api/auth/me', { token })));
    for (const response of responses) expect(response.status).toBe(200);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(await creatorsWithSubject(sub)).toBe(1);
  });

  it('never links to an existing account by email: the SSO creator is kept without it', async () => {
    const email = `shared-${randomBytes(4).toString('hex')}@example.test`;
    const first = await t.http.get('/api/auth/me', { token: await ssoToken({ sub: newSubject(), email }) });
    const second = await t.http.get('/api/auth/me', { token: await ssoToken({ sub: newSubject(), email: email.toUpperCase() }) });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.body.email).toBeNull();
  });

  it('falls back to other claims for the display name when `name` is missing', async () => {
    const sub = newSubject();
    const me = await t.http.get('/api/auth/me', { token: await ssoToken({ sub, email: `${sub}@example.test` }) });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: `${sub}@example.test`, displayName: `${sub}@example.test` });
  });

  it('refuses an expired token, a wrong issuer, a foreign signing key and garbage with 401 (and creates nobody)', async () => {
    const sub = newSubject();
    const cases = {
      expired: await ssoToken({ sub, name: 'Late' }, { exp: Math.floor(Date.now() / 1000) - 600 }),
      wrongIssuer: await ssoToken({ sub, name: 'Elsewhere' }, { iss: 'https://issuer.invalid' }),
      foreignKey: await ssoToken({ sub, name: 'Forger' }, { key: strangerKey }),
      garbage: 'not.a.jwt',
    };
    for (const [name, token] of Object.entries(cases)) {
      const response = await t.http.get('/api/auth/me', { token });
      expect({ name, status: response.status }).toEqual({ name, status: 401 });
      expectProblem(response, 401, 'unauthorized');
    }
    expect(await creatorsWithSubject(sub)).toBe(0);
  });

  it('refuses a subject it cannot store (a NUL, far too long) with 401, and ignores a name or email it cannot store', async () => {
    // OpenID Connect caps `sub` at 255 characters; one this long overflowed the unique index (a 500).
    for (const sub of ['user\u0000x', `user-${randomBytes(3_000).toString('base64')}`]) {
      const response = await t.http.get('/api/auth/me', { token: await ssoToken({ sub, name: 'Odd' }) });
      expectProblem(response, 401, 'unauthorized');
      if (!sub.includes('\u0000')) expect(await creatorsWithSubject(sub)).toBe(0); // (a NUL cannot even be a query parameter)
    }
    // Not a UUID is fine for an issuer's subject; a name or email with a NUL is left out, like a missing claim.
    const sub = newSubject();
    const me = await t.http.get('/api/auth/me', { token: await ssoToken({ sub, name: 'Bad\u0000Name', email: `a\u0000${sub}@example.test` }) });
    expect(me.status, JSON.stringify(me.body)).toBe(200);
    expect(me.body).toMatchObject({ email: null, displayName: `creator-${sub.slice(0, 8)}` });
  });

  it('turns local signup and login off (403 local_auth_disabled), and says so on GET /api/auth/config', async () => {
    expect((await t.http.get('/api/auth/config')).body).toEqual({ mode: 'sso' });
    const email = `local-${randomBytes(4).toString('hex')}@example.test`;
    const signup = await t.http.post('/api/auth/signup', { body: { email, password: 'correct horse battery staple', displayName: 'Local' } });
    expectProblem(signup, 403, 'local_auth_disabled');
    const login = await t.http.post('/api/auth/login', { body: { email, password: 'correct horse battery staple' } });
    expectProblem(login, 403, 'local_auth_disabled');
    expect(await (t.kernel as Kernel).forkEm().count(Creator, { email })).toBe(0);
  });

  it('accepts an SSO token on the /streaming handshake, bound to that creator, and refuses a forged one', async () => {
    const sub = newSubject();
    const token = await ssoToken({ sub, name: 'Socket User' });
    const started = await t.http.post('/api/sessions', { token, body: { platform: 'stripchat', title: 'SSO live' } });
    expect(started.status).toBe(201);
    const socket = await t.socket(token);
    const joined = await socket.emitWithAck('join_session', { sessionId: started.body.id });
    expect(joined).toMatchObject({ ok: true, data: { id: started.body.id } });

    const forged = await ssoToken({ sub, name: 'Socket User' }, { key: strangerKey });
    const refused = io(`${t.url}/streaming`, { auth: { token: forged }, transports: ['websocket'], reconnection: false, forceNew: true });
    const error = await new Promise<Error>((resolve, reject) => {
      refused.once('connect', () => reject(new Error('a forged SSO token was accepted on /streaming')));
      refused.once('connect_error', resolve);
    });
    refused.disconnect();
    expect(error.message).toMatch(/unauthorized/);
  });

  it('still issues working API tokens (REST and socket) and revokes them', async () => {
    const sub = newSubject();
    const token = await ssoToken({ sub, name: 'Bot Owner' });
    const me = await t.http.get('/api/auth/me', { token });
    const created = await t.http.post('/api/auth/tokens', { token, body: { name: 'chat bot' } });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^scp_/);

    const viaApiToken = await t.http.get('/api/auth/me', { token: created.body.token });
    expect(viaApiToken.status).toBe(200);
    expect(viaApiToken.body).toEqual(me.body);
    const socket = await t.socket(created.body.token);
    expect(socket.connected).toBe(true);

    expect((await t.http.delete(`/api/auth/tokens/${created.body.id}`, { token })).status).toBe(204);
    expectProblem(await t.http.get('/api/auth/me', { token: created.body.token }), 401, 'unauthorized');
  });
});

describe('SSO issuer outage', () => {
  /** An address nobody answers on. */
  async function deadUrl(): Promise<string> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return `http://127.0.0.1:${port}`;
  }

  it('answers 503 sso_unavailable, not 401, when the discovery document or the key set cannot be fetched', async () => {
    const keysDown = await startTestIssuer({ jwksUrl: `${await deadUrl()}/jwks.json` });
    const kernels = await Promise.all([
      startTestKernel({ env: { AUTH_MODE: 'sso', SSO_URL: await deadUrl() } }),
      startTestKernel({ env: { AUTH_MODE: 'sso', SSO_URL: keysDown.issuer } }),
    ]);
    try {
      const token = await keysDown.sign({ sub: `user-${randomBytes(6).toString('hex')}` });
      for (const kernel of kernels) {
        const response = await kernel.http.get('/api/auth/me', { token });
        expect(response.status).toBe(503);
        expect(response.body).toMatchObject({ status: 503, code: 'sso_unavailable' });
      }
    } finally {
      await Promise.all(kernels.map((kernel) => kernel.stop()));
      await keysDown.close();
    }
  });
});
