import type { EntityManager } from '@mikro-orm/sql';
import { Problem, conflict, notFound, type CreatorIdentity, type CreatorsService } from '@streaming-companion/sdk';
import { ApiToken } from '../entities/api-token.ts';
import { Creator } from '../entities/creator.ts';
import { API_TOKEN_PREFIX, hashPassword, newApiToken, newOverlayKey, sha256, verifyPassword, type SessionTokens } from './credentials.ts';
import type { LoginLimiter } from './login-limiter.ts';
import type { SsoIdentity, SsoVerifier } from './sso.ts';
import { VerifiedTokens } from './verified-tokens.ts';

export interface AuthServiceOptions {
  mode: 'local' | 'sso';
  forkEm: () => EntityManager;
  sessionTokens: SessionTokens;
  sso: SsoVerifier | undefined;
  limiter: LoginLimiter;
  /** Called after a token is revoked, with its hash, so live connections made with it can be cut. */
  onApiTokenRevoked?: (tokenHash: string) => void;
}

export interface CreatorView {
  id: string;
  email: string | null;
  displayName: string;
  createdAt: string;
}

export const creatorView = (c: Creator): CreatorView => ({
  id: c.id,
  email: c.email ?? null,
  displayName: c.displayName,
  createdAt: c.createdAt.toISOString(),
});

/** `coreServices.creators`: a creator's public face, or null for an id nobody has. */
export const creatorsService: CreatorsService = {
  async find(em, creatorId) {
    const creator = await em.findOne(Creator, { id: creatorId }, { fields: ['id', 'displayName'] });
    return creator ? { id: creator.id, displayName: creator.displayName } : null;
  },
};

const identity = (c: Creator): CreatorIdentity => ({ id: c.id, email: c.email ?? null, displayName: c.displayName });

/** Local accounts, personal API tokens and SSO: who a bearer token belongs to. */
export class AuthService {
  readonly #o: AuthServiceOptions;
  /** Login and SSO tokens are verified at most once a minute each, not on every request: they cannot be revoked, only expire. */
  readonly #verified = new VerifiedTokens<CreatorIdentity>({ maxEntries: 10_000, ttlMs: 60_000 });
  constructor(options: AuthServiceOptions) {
    this.#o = options;
  }

  /** How creators sign in here: local accounts, or bearer tokens from the SSO issuer. */
  get mode(): 'local' | 'sso' {
    return this.#o.mode;
  }

  async signup(input: { email: string; password: string; displayName: string }, ip: string) {
    this.#requireLocal();
    const attempt = await this.#o.limiter.beginSignup(ip);
    const em = this.#o.forkEm();
    const email = input.email.toLowerCase();
    const taken = async () => {
      // Signing up with a taken email tells whether an account exists: a failure, like a wrong password.
      await attempt.failed();
      return conflict('email_taken', 'an account with this email already exists');
    };
    if (await em.count(Creator, { email })) throw await taken();
    const creator = em.create(Creator, {
      email,
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      overlayKey: newOverlayKey(),
    });
    try {
      await em.flush();
    } catch (error) {
      // Two signups racing for one email: the unique index decides, the loser gets the same answer.
      if (isUniqueViolation(error)) throw await taken();
      throw error;
    }
    return { token: await this.#o.sessionTokens.issue(creator.id), creator: creatorView(creator) };
  }

  /** An unknown email and a wrong password answer alike, in about the same time. */
  async login(input: { email: string; password: string }, ip: string) {
    this.#requireLocal();
    const email = input.email.toLowerCase();
    // Refused (429) before the password is looked at when this address has failed too often.
    const attempt = await this.#o.limiter.beginLogin(email, ip);
    let creator: Creator | null;
    let verified: boolean;
    try {
      creator = await this.#o.forkEm().findOne(Creator, { email });
      verified = await verifyPassword(creator?.passwordHash ?? null, input.password);
    } catch (error) {
      await attempt.abandoned();
      throw error;
    }
    // A failure stays counted; a success counts nothing and clears this address's failures on the account.
    if (!verified || !creator) throw new Problem(401, 'invalid_credentials', 'email or password is wrong');
    await attempt.succeeded();
    return { token: await this.#o.sessionTokens.issue(creator.id), creator: creatorView(creator) };
  }

  async me(creatorId: string): Promise<CreatorView> {
    const creator = await creatorById(this.#o.forkEm(), creatorId);
    if (!creator) throw notFound('creator');
    return creator;
  }

  async authenticate(token: string): Promise<CreatorIdentity | null> {
    if (token.startsWith(API_TOKEN_PREFIX)) return this.#authenticateApiToken(this.#o.forkEm(), token);
    const known = this.#verified.get(token);
    if (known) return known;
    const em = this.#o.forkEm();
    const verified = this.#o.mode === 'sso' ? await this.#authenticateSso(em, token) : await this.#authenticateLoginToken(em, token);
    // Only what was verified is kept: an unknown token costs its check every time, and cannot fill the cache.
    if (verified) this.#verified.set(token, verified.creator, verified.expiresAt);
    return verified?.creator ?? null;
  }

  async createApiToken(creatorId: string, name: string) {
    const em = this.#o.forkEm();
    const { secret, hash, prefix } = newApiToken();
    const token = em.create(ApiToken, { creatorId, name, tokenHash: hash, prefix });
    await em.flush();
    return { ...apiTokenView(token), token: secret };
  }

  async listApiTokens(creatorId: string) {
    const tokens = await this.#o.forkEm().find(ApiToken, { creatorId, revokedAt: null }, { orderBy: { createdAt: 'desc' } });
    return tokens.map(apiTokenView);
  }

  /** Revoking is idempotent for the owner; another creator's token is simply not found. */
  async revokeApiToken(creatorId: string, tokenId: string): Promise<void> {
    const em = this.#o.forkEm();
    const token = await em.findOne(ApiToken, { id: tokenId, creatorId });
    if (!token) throw notFound('API token');
    token.revokedAt ??= new Date();
    await em.flush();
    this.#o.onApiTokenRevoked?.(token.tokenHash);
  }

  /** One statement, every request: a revoked token is refused at once, on every instance. */
  async #authenticateApiToken(em: EntityManager, secret: string): Promise<CreatorIdentity | null> {
    const [row] = await em.execute<Array<{ id: string; email: string | null; display_name: string }>>(API_TOKEN_CREATOR, [sha256(secret)]);
    return row ? { id: row.id, email: row.email, displayName: row.display_name } : null;
  }

  async #authenticateLoginToken(em: EntityManager, token: string): Promise<Verified | null> {
    const verified = await this.#o.sessionTokens.verify(token);
    const creator = verified && (await creatorById(em, verified.creatorId));
    return creator ? { creator: { id: creator.id, email: creator.email, displayName: creator.displayName }, expiresAt: verified.expiresAt } : null;
  }

  async #authenticateSso(em: EntityManager, token: string): Promise<Verified | null> {
    let sso;
    try {
      sso = await this.#o.sso!.verify(token);
    } catch {
      throw new Problem(503, 'sso_unavailable', 'the SSO issuer could not be reached; try again shortly');
    }
    if (!sso) return null;
    return { creator: await this.#ssoCreator(em, sso), expiresAt: sso.expiresAt };
  }

  async #ssoCreator(em: EntityManager, sso: SsoIdentity): Promise<CreatorIdentity> {
    const existing = await em.findOne(Creator, { ssoSubject: sso.subject });
    if (existing) return identity(existing);
    // Never link to an account by email (that would let an issuer take it over): when the email
    // is already someone's, the SSO creator is kept without one. `on conflict do nothing` without
    // a target absorbs a clash on either unique index (subject or email), which racing first
    // requests for one subject can hit.
    const insert = (email: string | null) =>
      em
        .createQueryBuilder(Creator)
        .insert({
          id: crypto.randomUUID(),
          ssoSubject: sso.subject,
          email,
          displayName: sso.displayName,
          overlayKey: newOverlayKey(),
          createdAt: new Date(),
          updatedAt: new Date(),
        })
        .onConflict()
        .ignore()
        .execute();
    await insert(sso.email?.toLowerCase() ?? null);
    let created = await em.fork().findOne(Creator, { ssoSubject: sso.subject });
    if (!created) {
      // Nothing was inserted for this subject, so the email belongs to another account.
      await insert(null);
      created = await em.fork().findOneOrFail(Creator, { ssoSubject: sso.subject });
    }
    return identity(created);
  }

  #requireLocal(): void {
    if (this.#o.mode !== 'local') {
      throw new Problem(403, 'local_auth_disabled', 'this server signs creators in through SSO; local accounts are off');
    }
  }
}

/** One creator by id, in plain SQL: a quarter of what loading the entity costs, on the path of every signed-in page. */
async function creatorById(em: EntityManager, creatorId: string): Promise<CreatorView | null> {
  const [row] = await em.execute<Array<{ id: string; email: string | null; display_name: string; created_at: Date | string }>>(
    'select id, email, display_name, created_at from core_creators where id = ?',
    [creatorId],
  );
  return row ? { id: row.id, email: row.email, displayName: row.display_name, createdAt: new Date(row.created_at).toISOString() } : null;
}

/** A verified login or SSO token: whose it is, and until when it may be taken as theirs. */
interface Verified {
  creator: CreatorIdentity;
  expiresAt: number;
}

/**
 * The creator of a live API token. Its last use is recorded at most once a minute: every
 * request of a busy bot writing the same row would queue them all on that row's lock.
 */
const API_TOKEN_CREATOR = `
  with token as (
    select id, creator_id, last_used_at from core_api_tokens where token_hash = ? and revoked_at is null
  ), touched as (
    update core_api_tokens t set last_used_at = now() from token
    where t.id = token.id and (token.last_used_at is null or token.last_used_at < now() - interval '1 minute')
  )
  select c.id, c.email, c.display_name from token join core_creators c on c.id = token.creator_id`;

const apiTokenView = (t: ApiToken) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
});

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505' || (error as { name?: string }).name === 'UniqueConstraintViolationException';
}
