import { randomBytes } from 'node:crypto';
import { nextEvent, startTestKernel, type TestKernel, type TestResponse, type TestSocket } from '@streaming-companion/testing';
import { SignJWT } from 'jose';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Creator } from '../src/entities/creator.ts';
import type { Kernel } from '../src/kernel.ts';

const PASSWORD = 'correct horse battery staple';
/** The local token key, set so a test can sign tokens the server accepts. */
const JWT_SECRET = randomBytes(32).toString('hex');
const uniqueEmail = (label = 'creator') => `${label}-${randomBytes(6).toString('hex')}@example.test`;

function expectProblem(response: TestResponse, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code, type: expect.stringContaining(code), title: expect.any(String), detail: expect.any(String) });
}

const fieldsOf = (response: TestResponse) => (response.body.errors as { field: string }[]).map((e) => e.field).sort();

const withoutInstance = (body: Record<string, unknown>) => {
  const { instance, ...rest } = body;
  expect(instance).toEqual(expect.stringMatching(/^urn:request:/));
  return rest;
};

/** A handshake the server must refuse: resolves with the connect_error, fails the test if it connects. */
function refusedHandshake(url: string, auth?: { token: string }): Promise<Error> {
  const socket = io(`${url}/streaming`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise<Error>((resolve, reject) => {
    socket.once('connect', () => {
      socket.disconnect();
      reject(new Error('the /streaming handshake was accepted'));
    });
    socket.once('connect_error', (error) => {
      socket.disconnect();
      resolve(error);
    });
  });
}

async function startSession(t: TestKernel, token: string): Promise<string> {
  const started = await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate', title: 'auth test' } });
  expect(started.status).toBe(201);
  return started.body.id as string;
}

const joinSession = (socket: TestSocket, sessionId: string) => socket.emitWithAck('join_session', { sessionId });

describe('local accounts, API tokens and the socket handshake', () => {
  let t: TestKernel;
  const countCreators = () => (t.kernel as Kernel).forkEm().count(Creator, {});

  beforeAll(async () => {
    // 3 failures per account and address (exercised below, always on a fresh account); the address's failure budget is large enough for the whole file.
    t = await startTestKernel({ loginLimits: { failuresPerAccountAddress: 3, failuresPerAddress: 100, windowSeconds: 60 }, env: { JWT_SECRET } });
  });
  afterAll(() => t?.stop());

  describe('signup', () => {
    it('tells clients it uses local accounts on GET /api/auth/config (public)', async () => {
      const config = await t.http.get('/api/auth/config');
      expect(config.status).toBe(200);
      expect(config.body).toEqual({ mode: 'local' });
    });

    it('creates an account (201 {token, creator}) whose token works on GET /api/auth/me', async () => {
      const email = uniqueEmail('Signup');
      const signup = await t.http.post('/api/auth/signup', { body: { email, password: PASSWORD, displayName: '  Ada  ' } });
      expect(signup.status).toBe(201);
      expect(signup.body).toEqual({
        token: expect.any(String),
        creator: { id: expect.any(String), email: email.toLowerCase(), displayName: 'Ada', createdAt: expect.any(String) },
      });
      expect(signup.body.creator).not.toHaveProperty('passwordHash');

      const me = await t.http.get('/api/auth/me', { token: signup.body.token });
      expect(me.status).toBe(200);
      expect(me.body).toEqual(signup.body.creator);
    });

    it('refuses a second account for the same email in any letter case (409) and keeps the first one intact', async () => {
      const email = uniqueEmail('dup');
      const first = await t.createCreator({ email });
      const before = await countCreators();

      const again = await t.http.post('/api/auth/signup', { body: { email: email.toUpperCase(), password: 'another password 123', displayName: 'Imposter' } });
      expectProblem(again, 409, 'email_taken');
      expect(await countCreators()).toBe(before);

      // The original password still works; the duplicate's never became one.
      const imposter = await t.http.post('/api/auth/login', { body: { email, password: 'another password 123' } });
      expect(imposter.status).toBe(401);
      const owner = await t.http.post('/api/auth/login', { body: { email, password: PASSWORD } });
      expect(owner.status).toBe(200);
      expect(owner.body.creator).toMatchObject({ id: first.creator.id, displayName: 'Test Creator' });
    });

    it.each([
      { name: 'a malformed email', body: { email: 'not-an-email', password: PASSWORD, displayName: 'Bad Email' }, fields: ['body.email'] },
      { name: 'a short password', body: { email: uniqueEmail('short'), password: 'short', displayName: 'Short' }, fields: ['body.password'] },
      { name: 'a missing displayName', body: { email: uniqueEmail('nameless'), password: PASSWORD }, fields: ['body.displayName'] },
      { name: 'a blank displayName', body: { email: uniqueEmail('blank'), password: PASSWORD, displayName: '   ' }, fields: ['body.displayName'] },
      { name: 'a NUL character in displayName', body: { email: uniqueEmail('nul'), password: PASSWORD, displayName: 'Ad\u0000a' }, fields: ['body.displayName'] },
      { name: 'everything wrong at once', body: { email: 'nope', password: '123' }, fields: ['body.displayName', 'body.email', 'body.password'] },
    ])('answers $name with 400 naming the field and creates nothing', async ({ body, fields }) => {
      const before = await countCreators();
      const response = await t.http.post('/api/auth/signup', { body });
      expectProblem(response, 400, 'validation_failed');
      expect(fieldsOf(response)).toEqual(fields);
      for (const error of response.body.errors) expect(error).toEqual({ field: expect.any(String), rule: expect.any(String), message: expect.any(String) });
      expect(await countCreators()).toBe(before);
      const login = await t.http.post('/api/auth/login', { body: { email: body.email, password: body.password } });
      expect(login.status).toBeGreaterThanOrEqual(400); // 400 for the malformed ones, 401 otherwise: never a session
      expect(login.body).not.toHaveProperty('token');
    });

    it('did not reserve the email of a rejected signup: a corrected one succeeds', async () => {
      const email = uniqueEmail('retry');
      const rejected = await t.http.post('/api/auth/signup', { body: { email, password: 'short', displayName: 'Retry' } });
      expect(rejected.status).toBe(400);
      const corrected = await t.http.post('/api/auth/signup', { body: { email, password: PASSWORD, displayName: 'Retry' } });
      expect(corrected.status).toBe(201);
    });
  });

  describe('login', () => {
    it('returns 200 with a working token, whatever the email letter case', async () => {
      const email = uniqueEmail('login');
      const { creator } = await t.createCreator({ email });
      const login = await t.http.post('/api/auth/login', { body: { email: email.toUpperCase(), password: PASSWORD } });
      expect(login.status).toBe(200);
      expect(login.body).toEqual({ token: expect.any(String), creator });
      const me = await t.http.get('/api/auth/me', { token: login.body.token });
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(creator.id);
    });

    it('answers a wrong password and an unknown email identically (status and body, but for instance)', async () => {
      const email = uniqueEmail('known');
      await t.createCreator({ email });
      const wrongPassword = await t.http.post('/api/auth/login', { body: { email, password: 'not the password' } });
      const unknownEmail = await t.http.post('/api/auth/login', { body: { email: uniqueEmail('unknown'), password: 'not the password' } });
      expectProblem(wrongPassword, 401, 'invalid_credentials');
      expect(unknownEmail.status).toBe(wrongPassword.status);
      expect(unknownEmail.headers.get('content-type')).toBe(wrongPassword.headers.get('content-type'));
      expect(withoutInstance(unknownEmail.body)).toEqual(withoutInstance(wrongPassword.body));
      expect(unknownEmail.body.instance).not.toBe(wrongPassword.body.instance);
    });

    it('validates the login body (400 naming the fields)', async () => {
      const response = await t.http.post('/api/auth/login', { body: { email: 'nope' } });
      expectProblem(response, 400, 'validation_failed');
      expect(fieldsOf(response)).toEqual(['body.email', 'body.password']);
    });

    it('GET /api/auth/me refuses a missing, garbage or forged token with 401 problem+json', async () => {
      const { creator } = await t.createCreator();
      expectProblem(await t.http.get('/api/auth/me'), 401, 'unauthorized');
      expectProblem(await t.http.get('/api/auth/me', { token: 'garbage' }), 401, 'unauthorized');
      expectProblem(await t.http.get('/api/auth/me', { token: 'scp_not-a-real-token' }), 401, 'unauthorized');
      expectProblem(await t.http.get('/api/auth/me', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }), 401, 'unauthorized');
      // Well-formed, right issuer and subject, but signed with a key that is not the server's.
      const forged = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('streaming-companion')
        .setSubject(creator.id)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(randomBytes(32));
      expectProblem(await t.http.get('/api/auth/me', { token: forged }), 401, 'unauthorized');
    });

    it('refuses a token signed with the server key whose subject is not a creator id (401, not 500)', async () => {
      const key = new TextEncoder().encode(JWT_SECRET);
      const signed = (subject: string) =>
        new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('streaming-companion').setSubject(subject).setIssuedAt().setExpirationTime('1h').sign(key);
      // The key is the server's: a creator id as subject is accepted, so a refusal below is about the subject.
      const { creator } = await t.createCreator();
      expect((await t.http.get('/api/auth/me', { token: await signed(creator.id) })).status).toBe(200);
      for (const subject of ['not-a-uuid', 'admin', '1', `${creator.id}x`, 'a\u0000b']) {
        const token = await signed(subject);
        expectProblem(await t.http.get('/api/auth/me', { token }), 401, 'unauthorized');
        const error = await refusedHandshake(t.url, { token });
        expect(error.message).toMatch(/unauthorized/);
      }
    });
  });

  describe('login rate limit per account and address (3 failures per window)', () => {
    it('answers the 4th attempt on one account from one address with 429, retry-after and a problem body, even with the right password', async () => {
      const email = uniqueEmail('limited');
      await t.createCreator({ email });
      // Letter case does not open a fresh bucket.
      for (const attempt of [email, email.toUpperCase(), email]) {
        const wrong = await t.http.post('/api/auth/login', { body: { email: attempt, password: 'guess 1234' } });
        expectProblem(wrong, 401, 'invalid_credentials');
      }
      const blocked = await t.http.post('/api/auth/login', { body: { email, password: PASSWORD } });
      expectProblem(blocked, 429, 'too_many_attempts');
      expect(blocked.body).not.toHaveProperty('token');
      const retryAfter = Number(blocked.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(blocked.body.retryAfterSeconds).toBe(retryAfter);

      // Another account from the same address is not affected.
      const other = await t.createCreator();
      const fine = await t.http.post('/api/auth/login', { body: { email: other.creator.email, password: PASSWORD } });
      expect(fine.status).toBe(200);
    });

    it('forgets an account’s failures from an address after a successful login from it', async () => {
      const email = uniqueEmail('forgiven');
      await t.createCreator({ email });
      for (let i = 0; i < 2; i++) expect((await t.http.post('/api/auth/login', { body: { email, password: 'guess 1234' } })).status).toBe(401);
      expect((await t.http.post('/api/auth/login', { body: { email, password: PASSWORD } })).status).toBe(200);
      // Without the reset the next attempt would be the 4th in the window.
      for (let i = 0; i < 3; i++) expect((await t.http.post('/api/auth/login', { body: { email, password: 'guess 1234' } })).status).toBe(401);
      expect((await t.http.post('/api/auth/login', { body: { email, password: PASSWORD } })).status).toBe(429);
    });
  });

  describe('personal API tokens', () => {
    it('shows the secret once, lists the token without it, and the secret authenticates REST and the socket', async () => {
      const owner = await t.createCreator({ displayName: 'Token Owner' });
      const created = await t.http.post('/api/auth/tokens', { token: owner.token, body: { name: 'OBS bot' } });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        name: 'OBS bot',
        prefix: expect.stringMatching(/^scp_/),
        createdAt: expect.any(String),
        lastUsedAt: null,
        token: expect.stringMatching(/^scp_[\w-]{40,}$/),
      });
      const secret: string = created.body.token;
      expect(secret.startsWith(created.body.prefix)).toBe(true);

      const listed = await t.http.get('/api/auth/tokens', { token: owner.token });
      expect(listed.status).toBe(200);
      expect(listed.body.items).toHaveLength(1);
      expect(listed.body.items[0]).toEqual({ id: created.body.id, name: 'OBS bot', prefix: created.body.prefix, createdAt: created.body.createdAt, lastUsedAt: null });
      expect(JSON.stringify(listed.body)).not.toContain(secret);

      const me = await t.http.get('/api/auth/me', { token: secret });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: owner.creator.id, displayName: 'Token Owner' });
      const afterUse = await t.http.get('/api/auth/tokens', { token: secret });
      expect(afterUse.body.items[0].lastUsedAt).toEqual(expect.any(String));

      // The socket authenticated by the API token acts as its owner: it may join the owner's session.
      const sessionId = await startSession(t, secret);
      const socket = await t.socket(secret);
      expect(socket.connected).toBe(true);
      const joined = await joinSession(socket, sessionId);
      expect(joined).toMatchObject({ ok: true, data: { id: sessionId } });
      socket.disconnect();
    });

    it('validates the token name (400 naming body.name) and creates nothing', async () => {
      const owner = await t.createCreator();
      const response = await t.http.post('/api/auth/tokens', { token: owner.token, body: { name: '  ' } });
      expectProblem(response, 400, 'validation_failed');
      expect(fieldsOf(response)).toEqual(['body.name']);
      const nul = await t.http.post('/api/auth/tokens', { token: owner.token, body: { name: 'bot\u0000' } });
      expectProblem(nul, 400, 'validation_failed');
      expect(fieldsOf(nul)).toEqual(['body.name']);
      expect((await t.http.get('/api/auth/tokens', { token: owner.token })).body.items).toEqual([]);
    });

    it('revokes: the secret then gets 401 and the socket handshake is refused; revoking again is harmless', async () => {
      const owner = await t.createCreator();
      const created = await t.http.post('/api/auth/tokens', { token: owner.token, body: { name: 'to revoke' } });
      const secret: string = created.body.token;
      expect((await t.http.get('/api/auth/me', { token: secret })).status).toBe(200);

      const revoked = await t.http.delete(`/api/auth/tokens/${created.body.id}`, { token: owner.token });
      expect(revoked.status).toBe(204);
      expect(revoked.body).toBe('');

      expectProblem(await t.http.get('/api/auth/me', { token: secret }), 401, 'unauthorized');
      const refused = await refusedHandshake(t.url, { token: secret });
      expect(refused.message).toMatch(/unauthorized/);
      expect((await t.http.get('/api/auth/tokens', { token: owner.token })).body.items).toEqual([]);
      expect((await t.http.delete(`/api/auth/tokens/${created.body.id}`, { token: owner.token })).status).toBe(204);
      // The owner's login token is untouched.
      expect((await t.http.get('/api/auth/me', { token: owner.token })).status).toBe(200);
    });

    it('disconnects a live socket opened with the token when it is revoked', async () => {
      const owner = await t.createCreator();
      const created = await t.http.post('/api/auth/tokens', { token: owner.token, body: { name: 'bot' } });
      const bot = await t.socket(created.body.token);
      const loginSocket = await t.socket(owner.token);
      const cut = nextEvent<string>(bot, 'disconnect');
      await t.http.delete(`/api/auth/tokens/${created.body.id}`, { token: owner.token });
      expect(await cut).toBe('io server disconnect');
      // The owner's own connection is untouched: it still answers.
      expect((await loginSocket.emitWithAck('leave_session', { sessionId: crypto.randomUUID() })).ok).toBe(true);
    });

    it('is invisible to another creator, who cannot revoke it (404)', async () => {
      const owner = await t.createCreator();
      const stranger = await t.createCreator();
      const created = await t.http.post('/api/auth/tokens', { token: owner.token, body: { name: 'private' } });
      const strangersOwn = await t.http.post('/api/auth/tokens', { token: stranger.token, body: { name: 'mine' } });

      const strangerList = await t.http.get('/api/auth/tokens', { token: stranger.token });
      expect(strangerList.body.items.map((i: { id: string }) => i.id)).toEqual([strangersOwn.body.id]);

      const attempt = await t.http.delete(`/api/auth/tokens/${created.body.id}`, { token: stranger.token });
      expectProblem(attempt, 404, 'not_found');
      // Still alive and still the owner's.
      const me = await t.http.get('/api/auth/me', { token: created.body.token });
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(owner.creator.id);
      expect((await t.http.get('/api/auth/tokens', { token: owner.token })).body.items.map((i: { id: string }) => i.id)).toEqual([created.body.id]);
    });

    it('rejects a malformed token id (400 naming params.id) and needs authentication', async () => {
      const owner = await t.createCreator();
      const bad = await t.http.delete('/api/auth/tokens/not-a-uuid', { token: owner.token });
      expectProblem(bad, 400, 'validation_failed');
      expect(fieldsOf(bad)).toEqual(['params.id']);
      expectProblem(await t.http.post('/api/auth/tokens', { body: { name: 'anonymous' } }), 401, 'unauthorized');
      expectProblem(await t.http.get('/api/auth/tokens'), 401, 'unauthorized');
    });
  });

  describe('/streaming handshake', () => {
    it('refuses a handshake with no token, an empty token or a bad token', async () => {
      expect((await refusedHandshake(t.url)).message).toMatch(/unauthorized/);
      expect((await refusedHandshake(t.url, { token: '' })).message).toMatch(/unauthorized/);
      expect((await refusedHandshake(t.url, { token: 'garbage' })).message).toMatch(/unauthorized/);
      expect((await refusedHandshake(t.url, { token: 'scp_unknown' })).message).toMatch(/unauthorized/);
    });

    it('accepts a login token and binds the socket to that creator (cannot join another creator’s session)', async () => {
      const alice = await t.createCreator();
      const bob = await t.createCreator();
      const aliceSession = await startSession(t, alice.token);
      const socket = await t.socket(bob.token);
      const denied = await joinSession(socket, aliceSession);
      expect(denied).toMatchObject({ ok: false, error: { code: 'not_found' } });
      const own = await joinSession(await t.socket(alice.token), aliceSession);
      expect(own).toMatchObject({ ok: true, data: { id: aliceSession } });
    });
  });
});

describe('login rate limit per address', () => {
  let t: TestKernel;
  beforeAll(async () => {
    // A large per-account budget so only the address limit can trip; a kernel of its own so nothing else spends it.
    t = await startTestKernel({ loginLimits: { failuresPerAccountAddress: 100, failuresPerAddress: 4, windowSeconds: 60 } });
  });
  afterAll(() => t?.stop());

  it('stops one address spraying many accounts, for login and signup alike', async () => {
    for (let i = 0; i < 4; i++) {
      const attempt = await t.http.post('/api/auth/login', { body: { email: uniqueEmail(`spray${i}`), password: 'guess 1234' } });
      expectProblem(attempt, 401, 'invalid_credentials');
    }
    const blocked = await t.http.post('/api/auth/login', { body: { email: uniqueEmail('spray-next'), password: 'guess 1234' } });
    expectProblem(blocked, 429, 'too_many_attempts');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    const email = uniqueEmail('late-signup');
    const signup = await t.http.post('/api/auth/signup', { body: { email, password: PASSWORD, displayName: 'Late' } });
    expectProblem(signup, 429, 'too_many_attempts');
    expect(signup.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await (t.kernel as Kernel).forkEm().count(Creator, { email })).toBe(0);
  });
});
