import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';

const Discovery = z.object({ issuer: z.string(), jwks_uri: z.url() });

export interface SsoIdentity {
  subject: string;
  email: string | null;
  displayName: string;
  /** When the token stops being valid (epoch ms). */
  expiresAt: number;
}

/**
 * Verifies bearer JWTs from an OpenID issuer against its published JWKS. The discovery
 * document is fetched once, lazily, so a server can boot while the issuer is briefly down.
 */
export class SsoVerifier {
  readonly #issuerUrl: string;
  readonly #audience: string | undefined;
  #keys: Promise<{ issuer: string; jwks: ReturnType<typeof createRemoteJWKSet> }> | undefined;

  constructor(issuerUrl: string, audience?: string) {
    this.#issuerUrl = issuerUrl.replace(/\/$/, '');
    this.#audience = audience;
  }

  /** The token's identity; null for a token that is not valid; throws when the issuer cannot be reached. */
  async verify(token: string): Promise<SsoIdentity | null> {
    const { issuer, jwks } = await this.#discover();
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer, audience: this.#audience });
      return storable(payload.sub, SUBJECT_MAX) ? identityFrom(payload) : null;
    } catch (error) {
      // Keys that could not be fetched (issuer down, timed out, answering garbage) are an
      // outage, like a failed discovery, not a bad token.
      if (!(error instanceof errors.JOSEError) || error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) throw error;
      return null;
    }
  }

  #discover() {
    this.#keys ??= (async () => {
      const response = await fetch(`${this.#issuerUrl}/.well-known/openid-configuration`);
      if (!response.ok) throw new Error(`SSO discovery failed: ${response.status}`);
      const doc = Discovery.parse(await response.json());
      return { issuer: doc.issuer, jwks: createRemoteJWKSet(new URL(doc.jwks_uri)) };
    })().catch((error: unknown) => {
      this.#keys = undefined; // let the next request try again
      throw error;
    });
    return this.#keys;
  }
}

/** OpenID Connect caps `sub` at 255 ASCII characters; a longer one, or one with a NUL, names no creator we can keep. */
const SUBJECT_MAX = 255;
const CLAIM_MAX = 320;

/** A non-empty string Postgres can store (no NUL) of at most `max` characters. */
const storable = (value: unknown, max: number): value is string => typeof value === 'string' && value.length > 0 && value.length <= max && !value.includes('\u0000');

function identityFrom(payload: JWTPayload): SsoIdentity {
  // A claim we could not store is treated as absent (the next one, or a made-up name, stands in).
  const claim = (name: string) => (storable(payload[name], CLAIM_MAX) ? (payload[name] as string) : null);
  const email = claim('email');
  return {
    subject: payload.sub!,
    email,
    displayName: claim('name') ?? claim('preferred_username') ?? email ?? `creator-${payload.sub!.slice(0, 8)}`,
    expiresAt: payload.exp === undefined ? Number.POSITIVE_INFINITY : payload.exp * 1000,
  };
}
