import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';

const KID = 'test-key-1';

export interface TestIssuerSignOptions {
  iss?: string;
  exp?: number | string;
  /** Sign with another key (one the issuer does not publish). */
  key?: CryptoKey;
}

export interface TestIssuer {
  /** The issuer URL, for `SSO_URL`. */
  issuer: string;
  /** An RS256 bearer token from this issuer (or a forged one, through `options`). */
  sign(claims: { sub: string; email?: string; name?: string }, options?: TestIssuerSignOptions): Promise<string>;
  close(): Promise<void>;
}

/**
 * A tiny OpenID issuer on loopback for SSO tests: discovery document and JWKS, nothing else.
 * `jwksUrl` replaces the key-set address it publishes (one that does not answer, say).
 */
export async function startTestIssuer(options: { jwksUrl?: string } = {}): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  let issuer = '';
  const server: Server = createServer((req, res) => {
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openid-configuration') return send({ issuer, jwks_uri: options.jwksUrl ?? `${issuer}/jwks.json` });
    if (req.url === '/jwks.json') return send({ keys: [jwk] });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    sign: (claims, options = {}) =>
      new SignJWT({ email: claims.email, name: claims.name })
        .setProtectedHeader({ alg: 'RS256', kid: KID })
        .setIssuer(options.iss ?? issuer)
        .setSubject(claims.sub)
        .setIssuedAt()
        .setExpirationTime(options.exp ?? '10m')
        .sign(options.key ?? privateKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
