/**
 * Bearer tokens already verified, with whom they name: checking a JWT's signature and loading
 * its creator cost more than the rest of a small request, and a client sends the same token
 * on every one. Bounded by size (least recently used goes first) and by time: an entry lives
 * no longer than `ttlMs`, nor past the token's own expiry. Only tokens that cannot be revoked
 * belong here (login and SSO JWTs); an API token can be, so it is looked up every time.
 */
export class VerifiedTokens<T> {
  readonly #entries = new Map<string, { value: T; expiresAt: number }>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;

  constructor(options: { maxEntries: number; ttlMs: number }) {
    this.#maxEntries = options.maxEntries;
    this.#ttlMs = options.ttlMs;
  }

  get(token: string): T | undefined {
    const entry = this.#entries.get(token);
    if (!entry) return undefined;
    this.#entries.delete(token);
    if (entry.expiresAt <= Date.now()) return undefined;
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
    this.#entries.set(token, entry);
    return entry.value;
  }

  /** Keep `value` for `token` until `tokenExpiresAt` (epoch ms) or the TTL, whichever is first. */
  set(token: string, value: T, tokenExpiresAt: number): void {
    const expiresAt = Math.min(tokenExpiresAt, Date.now() + this.#ttlMs);
    if (expiresAt <= Date.now()) return;
    this.#entries.delete(token);
    this.#entries.set(token, { value, expiresAt });
    if (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }

  get size(): number {
    return this.#entries.size;
  }
}
