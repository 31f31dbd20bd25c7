import { hash as digest, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { SignJWT, jwtVerify } from 'jose';
import { isUuid } from '../uuid.ts';

/** argon2id with the library's defaults (the OWASP-recommended parameters). */
export const hashPassword = (password: string) => hash(password);

/** A hash of a random password, verified against when the email is unknown so both failures take as long. */
let decoyHash: Promise<string> | undefined;
export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    decoyHash ??= hash(randomBytes(16).toString('hex'));
    await verify(await decoyHash, password);
    return false;
  }
  return verify(passwordHash, password);
}

export const API_TOKEN_PREFIX = 'scp_';

/** A personal API token: the secret is shown once; only its SHA-256 is stored (it is random, so no salt is needed). */
export function newApiToken(): { secret: string; hash: string; prefix: string } {
  const secret = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { secret, hash: sha256(secret), prefix: secret.slice(0, API_TOKEN_PREFIX.length + 6) };
}

export const sha256 = (value: string) => digest('sha256', value);

export function newOverlayKey(): string {
  return randomBytes(24).toString('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const ISSUER = 'streaming-companion';
const SESSION_TTL = '30d';

/** Login tokens for local accounts: HS256 JWTs whose subject is the creator id. */
export class SessionTokens {
  readonly #key: Uint8Array;
  constructor(secret: string) {
    this.#key = new TextEncoder().encode(secret);
  }

  issue(creatorId: string): Promise<string> {
    return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setSubject(creatorId).setIssuedAt().setExpirationTime(SESSION_TTL).sign(this.#key);
  }

  /** The creator id and when the token expires (epoch ms), or null for anything not signed by us, expired, or whose subject is not a creator id. */
  async verify(token: string): Promise<{ creatorId: string; expiresAt: number } | null> {
    try {
      const { payload } = await jwtVerify(token, this.#key, { issuer: ISSUER, algorithms: ['HS256'] });
      // We only sign creator ids, but the key may be shared (JWT_SECRET): anything else is no creator, not a query error.
      if (!isUuid(payload.sub)) return null;
      return { creatorId: payload.sub, expiresAt: payload.exp === undefined ? Number.POSITIVE_INFINITY : payload.exp * 1000 };
    } catch {
      return null;
    }
  }
}
