import type { Redis } from 'ioredis';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { consumeOrRefuse, createRateLimiter, tooMany } from '../http/rate-limit.ts';

export interface LoginLimits {
  /** Failed logins on one account from one address per window; then that pair is refused (`LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS`). */
  failuresPerAccountAddress: number;
  /** Failed logins from one address per window, whatever the accounts; then the address is refused (`LOGIN_MAX_FAILURES_PER_ADDRESS`). */
  failuresPerAddress: number;
  /**
   * Failed logins on one account per window from all addresses together; past it, only addresses
   * with no failure on the account may still try (`LOGIN_MAX_FAILURES_PER_ACCOUNT`).
   */
  failuresPerAccount: number;
  /** Signups from one address per window (`SIGNUP_MAX_PER_ADDRESS`). */
  signupsPerAddress: number;
  windowSeconds: number;
}

/** What `beginLogin` hands back. A wrong password or an unknown account needs no call: the attempt stays counted as a failure. */
export interface LoginAttempt {
  /** The right password: this attempt does not count, and the pair's earlier failures are forgotten. */
  succeeded(): Promise<void>;
  /** The check itself broke (not the caller's fault): the attempt does not count. */
  abandoned(): Promise<void>;
}

/** What `beginSignup` hands back. */
export interface SignupAttempt {
  /** The email was taken: a probe for accounts, counted as a failure of the address. */
  failed(): Promise<void>;
}

const refusal = (result: PromiseSettledResult<RateLimiterRes>): RateLimiterRes | undefined => {
  if (result.status === 'fulfilled') return undefined;
  if (result.reason instanceof RateLimiterRes) return result.reason;
  throw result.reason;
};

/**
 * Slows password guessing without handing anyone a lockout. Only failures count (a successful
 * login never does), in three fixed windows:
 * - per (account, address) pair: an address that keeps guessing one account is refused, nobody else is;
 * - per address: one client spraying many accounts is refused (on login and signup);
 * - per account, from every address together: past that cap an address that has already failed on
 *   the account is refused, so a botnet gets one guess per address; an address with no failure on the
 *   account is never refused by it, so the owner can always sign in from a clean address.
 * Counted in Redis when there is one (shared by every instance), in memory while it is unreachable.
 *
 * Each attempt reserves its failure up front and gives it back when the password was right (or the
 * check broke), so parallel guesses cannot all slip through before the first one is counted.
 */
export class LoginLimiter {
  readonly #pair: RateLimiterAbstract;
  readonly #address: RateLimiterAbstract;
  readonly #account: RateLimiterAbstract;
  readonly #signups: RateLimiterAbstract;
  readonly #limits: LoginLimits;

  constructor(limits: LoginLimits, redis?: Redis, redisPrefix = 'sc') {
    this.#limits = limits;
    const make = (keyPrefix: string, points: number) => createRateLimiter({ keyPrefix, points, windowSeconds: limits.windowSeconds, redis, redisPrefix });
    this.#pair = make('sc-login-fail-pair', limits.failuresPerAccountAddress);
    this.#address = make('sc-login-fail-address', limits.failuresPerAddress);
    this.#account = make('sc-login-fail-account', limits.failuresPerAccount);
    this.#signups = make('sc-signup-address', limits.signupsPerAddress);
  }

  /** Before the password is checked: a 429 problem if this attempt may not be made now. */
  async beginLogin(email: string, ip: string): Promise<LoginAttempt> {
    // An address has no `|`, so the pair key is unambiguous.
    const pairKey = `${ip}|${email}`;
    const [pair, address, account] = await Promise.allSettled([this.#pair.consume(pairKey), this.#address.consume(ip), this.#account.consume(email)]);
    const refund = () => Promise.all([this.#pair.reward(pairKey), this.#address.reward(ip), this.#account.reward(email)]);
    const pairRefused = refusal(pair);
    const addressRefused = refusal(address);
    const accountRefused = refusal(account);
    // The points this pair has used, this attempt included: more than one means earlier failures.
    const pairUsed = pair.status === 'fulfilled' ? pair.value.consumedPoints : this.#limits.failuresPerAccountAddress + 1;
    const refused = pairRefused ?? addressRefused ?? (pairUsed > 1 ? accountRefused : undefined);
    if (refused) {
      // A refused attempt checked no password: it is not a failure.
      await refund();
      throw tooMany(refused, 'too_many_attempts', 'attempts');
    }
    return {
      succeeded: async () => {
        await Promise.all([this.#pair.delete(pairKey), this.#address.reward(ip), this.#account.reward(email)]);
      },
      abandoned: async () => {
        await refund();
      },
    };
  }

  /** Before an account is created: refused while the address is over its failures or its signups. */
  async beginSignup(ip: string): Promise<SignupAttempt> {
    const failures = await this.#address.get(ip);
    if (failures && failures.consumedPoints >= this.#limits.failuresPerAddress) throw tooMany(failures, 'too_many_attempts', 'attempts');
    await consumeOrRefuse(this.#signups, ip, 'too_many_attempts', 'signups');
    return {
      failed: async () => {
        await this.#address.penalty(ip);
      },
    };
  }
}
