import { randomBytes } from 'node:crypto';
import { BootError, createKernel, loadConfig } from '@streaming-companion/core';
import { startTestKernel, type TestKernel, type TestResponse } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Login throttling counts failures only, per (account, address) pair and per address, so
 * guessing is slowed where it happens and nobody elsewhere can lock a creator out. The
 * kernel trusts X-Forwarded-For here, so each request can come from an address of its own.
 */

const PASSWORD = 'correct horse battery staple';
const WINDOW_SECONDS = 900;
const LIMITS = {
  failuresPerAccountAddress: 5,
  failuresPerAddress: 12,
  failuresPerAccount: 20,
  signupsPerAddress: 1_000,
  windowSeconds: WINDOW_SECONDS,
};

let nextAddress = 1;
/** A documentation address (TEST-NET-3) no other test in this file has used. */
const freshAddress = () => `203.0.113.${nextAddress++}`;
const uniqueEmail = (label: string) => `${label}-${randomBytes(6).toString('hex')}@example.test`;

let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ env: { TRUST_PROXY: 'true' }, loginLimits: LIMITS });
});
afterAll(() => t?.stop());

const login = (email: string, password: string, address: string) =>
  t.http.post('/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': address } });

/** A creator signed up from an address of its own (signups are not what is under test). */
async function creator(label: string): Promise<string> {
  const email = uniqueEmail(label);
  const signup = await t.http.post('/api/auth/signup', { body: { email, password: PASSWORD, displayName: label }, headers: { 'x-forwarded-for': freshAddress() } });
  expect(signup.status).toBe(201);
  return email;
}

function expectThrottled(response: TestResponse) {
  expect(response.status).toBe(429);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status: 429, code: 'too_many_attempts' });
  expect(response.body).not.toHaveProperty('token');
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
  expect(response.body.retryAfterSeconds).toBe(retryAfter);
}

describe('login throttling', () => {
  it('does not lock the owner out: wrong passwords from five addresses, then the right one from a fresh address succeeds', async () => {
    const email = await creator('target');
    const attackers = Array.from({ length: 5 }, freshAddress);
    // Every attacker address guesses until refused: 5 each at most, 1 each once the account-wide cap (20) is passed.
    let failures = 0;
    for (const address of attackers) {
      for (let i = 0; ; i++) {
        const guess = await login(email, `guess ${address} ${i}`, address);
        if (guess.status === 429) break;
        expect(guess.status).toBe(401);
        expect(i).toBeLessThan(LIMITS.failuresPerAccountAddress);
        failures++;
      }
      expectThrottled(await login(email, PASSWORD, address));
    }
    expect(failures).toBeGreaterThan(LIMITS.failuresPerAccount);
    const owner = await login(email, PASSWORD, freshAddress());
    expect(owner.status).toBe(200);
    expect(owner.body.token).toEqual(expect.any(String));
    // And again: the owner's own successes never count against anyone.
    expect((await login(email, PASSWORD, freshAddress())).status).toBe(200);
  });

  it('throttles one (account, address) pair after its failures, with 429 and Retry-After, and nobody else', async () => {
    const email = await creator('pair');
    const other = await creator('neighbour');
    const guesser = freshAddress();
    for (let i = 0; i < LIMITS.failuresPerAccountAddress; i++) expect((await login(email, 'guess 1234', guesser)).status).toBe(401);
    // Even the right password: this address has used up its guesses on this account.
    expectThrottled(await login(email, PASSWORD, guesser));
    // Letter case does not open a fresh bucket.
    expectThrottled(await login(email.toUpperCase(), PASSWORD, guesser));
    // The same account from elsewhere, and another account from the same address, are unaffected.
    expect((await login(email, PASSWORD, freshAddress())).status).toBe(200);
    expect((await login(other, PASSWORD, guesser)).status).toBe(200);
  });

  it('counts guesses sent in parallel: no more than the limit get an answer', async () => {
    const email = await creator('burst');
    const address = freshAddress();
    const answers = await Promise.all(Array.from({ length: 15 }, (_, i) => login(email, `burst guess ${i}`, address)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(LIMITS.failuresPerAccountAddress);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15 - LIMITS.failuresPerAccountAddress);
    expectThrottled(await login(email, PASSWORD, address));
  });

  it('a successful login clears its pair’s failures', async () => {
    const email = await creator('typo');
    const address = freshAddress();
    for (let i = 0; i < LIMITS.failuresPerAccountAddress - 1; i++) expect((await login(email, 'typo 1234', address)).status).toBe(401);
    expect((await login(email, PASSWORD, address)).status).toBe(200);
    for (let i = 0; i < LIMITS.failuresPerAccountAddress - 1; i++) expect((await login(email, 'typo 1234', address)).status).toBe(401);
    expect((await login(email, PASSWORD, address)).status).toBe(200);
  });

  it('stops one address spraying many accounts (per-address failures), for login and signup alike, and only that address', async () => {
    const victim = await creator('sprayed');
    const sprayer = freshAddress();
    for (let i = 0; i < LIMITS.failuresPerAddress; i++) expect((await login(uniqueEmail(`spray${i}`), 'guess 1234', sprayer)).status).toBe(401);
    expectThrottled(await login(victim, PASSWORD, sprayer));
    expectThrottled(await login(uniqueEmail('spray-next'), 'guess 1234', sprayer));
    const signup = await t.http.post('/api/auth/signup', { body: { email: uniqueEmail('late'), password: PASSWORD, displayName: 'Late' }, headers: { 'x-forwarded-for': sprayer } });
    expectThrottled(signup);
    expect((await login(victim, PASSWORD, freshAddress())).status).toBe(200);
  });

  it('never throttles successful logins: a studio of creators behind one address signs in again and again', async () => {
    const studio = freshAddress();
    const creators = [await creator('studio-a'), await creator('studio-b'), await creator('studio-c')];
    const rounds = LIMITS.failuresPerAddress + LIMITS.failuresPerAccountAddress + 3;
    for (let round = 0; round < rounds; round++) {
      for (const email of creators) expect((await login(email, PASSWORD, studio)).status).toBe(200);
    }
    // A typo in between still leaves room: the address has one failure, not dozens of attempts.
    expect((await login(creators[0]!, 'typo 1234', studio)).status).toBe(401);
    expect((await login(creators[0]!, PASSWORD, studio)).status).toBe(200);
  });

  it('past the account-wide failure cap, refuses addresses that already failed on the account, never a clean one', async () => {
    const email = await creator('botnet');
    // One guess each from many addresses stays under the pair limit everywhere but passes the account-wide cap.
    const bots = Array.from({ length: LIMITS.failuresPerAccount }, freshAddress);
    for (const bot of bots) expect((await login(email, 'guess 1234', bot)).status).toBe(401);
    expectThrottled(await login(email, 'guess 5678', bots[0]!));
    expectThrottled(await login(email, PASSWORD, bots[1]!));
    // A fresh address gets its answer: the right password works, a wrong one is a plain 401.
    expect((await login(email, PASSWORD, freshAddress())).status).toBe(200);
    expect((await login(email, 'guess 1234', freshAddress())).status).toBe(401);
  });
});

describe('signup throttling', () => {
  let s: TestKernel;
  beforeAll(async () => {
    s = await startTestKernel({ env: { TRUST_PROXY: 'true' }, loginLimits: { signupsPerAddress: 3, failuresPerAddress: 2, windowSeconds: WINDOW_SECONDS } });
  });
  afterAll(() => s?.stop());

  const signup = (email: string, address: string) =>
    s.http.post('/api/auth/signup', { body: { email, password: PASSWORD, displayName: 'Signup' }, headers: { 'x-forwarded-for': address } });

  it('caps signups per address; they are not login failures, so the address still signs in', async () => {
    const address = freshAddress();
    const emails = [uniqueEmail('s1'), uniqueEmail('s2'), uniqueEmail('s3')];
    for (const email of emails) expect((await signup(email, address)).status).toBe(201);
    expectThrottled(await signup(uniqueEmail('s4'), address));
    expect((await signup(uniqueEmail('s4'), freshAddress())).status).toBe(201);
    for (const email of emails) {
      const ok = await s.http.post('/api/auth/login', { body: { email, password: PASSWORD }, headers: { 'x-forwarded-for': address } });
      expect(ok.status).toBe(200);
    }
  });

  it('counts signing up with a taken email as a failure of the address (it probes for accounts)', async () => {
    const existing = uniqueEmail('taken');
    expect((await signup(existing, freshAddress())).status).toBe(201);
    const prober = freshAddress();
    for (let i = 0; i < 2; i++) expect((await signup(existing, prober)).status).toBe(409);
    expectThrottled(await signup(uniqueEmail('next'), prober));
    expectThrottled(await s.http.post('/api/auth/login', { body: { email: existing, password: PASSWORD }, headers: { 'x-forwarded-for': prober } }));
    const owner = await s.http.post('/api/auth/login', { body: { email: existing, password: PASSWORD }, headers: { 'x-forwarded-for': freshAddress() } });
    expect(owner.status).toBe(200);
  });
});

describe('login throttling settings', () => {
  it('reads the limits from the environment, with defaults', () => {
    expect(loadConfig({}).loginLimits).toEqual({ failuresPerAccountAddress: 5, failuresPerAddress: 30, failuresPerAccount: 100, signupsPerAddress: 10, windowSeconds: 900 });
    const env = {
      LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: '3',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '50',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '500',
      SIGNUP_MAX_PER_ADDRESS: '20',
      LOGIN_WINDOW_SECONDS: '600',
    };
    expect(loadConfig(env).loginLimits).toEqual({ failuresPerAccountAddress: 3, failuresPerAddress: 50, failuresPerAccount: 500, signupsPerAddress: 20, windowSeconds: 600 });
  });

  it('refuses to boot on a bad limit, naming every bad variable at once', () => {
    const env = { LOG_LEVEL: 'silent', LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: '0', LOGIN_MAX_FAILURES_PER_ADDRESS: 'many', LOGIN_WINDOW_SECONDS: '-5', SIGNUP_MAX_PER_ADDRESS: '1.5' };
    let problems: string[] = [];
    try {
      createKernel({ plugins: [], env });
    } catch (error) {
      expect(error).toBeInstanceOf(BootError);
      problems = (error as BootError).problems;
    }
    for (const name of ['LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS', 'LOGIN_MAX_FAILURES_PER_ADDRESS', 'LOGIN_WINDOW_SECONDS', 'SIGNUP_MAX_PER_ADDRESS']) {
      expect(problems.filter((problem) => problem.startsWith(`${name}: `)), JSON.stringify(problems)).toHaveLength(1);
    }
    expect(problems).toHaveLength(4);
  });
});
