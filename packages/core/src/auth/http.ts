import { ApiTokenDto, CreatorDto, type HttpRegistrar } from '@streaming-companion/sdk';
import { z } from 'zod';
import type { AuthService } from './auth-service.ts';

const Email = z.email().max(254);
const AuthResult = z.object({ token: z.string(), creator: CreatorDto }).meta({ id: 'AuthResult' });

/** Auth routes: thin adapters over AuthService. */
export function registerAuthRoutes(http: HttpRegistrar, auth: AuthService): void {
  const tags = ['auth'];
  http.get(
    '/api/auth/config',
    {
      auth: 'public',
      tags,
      summary: 'How creators sign in: `local` (signup and login here) or `sso` (a bearer token from the platform)',
      response: z.object({ mode: z.enum(['local', 'sso']) }).meta({ id: 'AuthConfig' }),
    },
    () => ({ mode: auth.mode }),
  );
  http.post(
    '/api/auth/signup',
    {
      auth: 'public',
      tags,
      summary: 'Create a local creator account',
      status: 201,
      body: z.object({
        email: Email,
        password: z.string().min(10, 'must be at least 10 characters').max(200),
        displayName: z.string().trim().min(1).max(80),
      }),
      response: AuthResult,
    },
    (req) => auth.signup(req.body, req.ip),
  );
  http.post(
    '/api/auth/login',
    {
      auth: 'public',
      tags,
      summary: 'Log in with email and password',
      body: z.object({ email: Email, password: z.string().min(1).max(200) }),
      response: AuthResult,
    },
    (req) => auth.login(req.body, req.ip),
  );
  http.get('/api/auth/me', { auth: 'creator', tags, summary: 'The calling creator', response: CreatorDto }, (req) => auth.me(req.creator.id));
  http.post(
    '/api/auth/tokens',
    {
      auth: 'creator',
      tags,
      summary: 'Create a personal API token (the secret is shown only in this response)',
      status: 201,
      body: z.object({ name: z.string().trim().min(1).max(80) }),
      response: ApiTokenDto.extend({ token: z.string() }),
    },
    (req) => auth.createApiToken(req.creator.id, req.body.name),
  );
  http.get(
    '/api/auth/tokens',
    { auth: 'creator', tags, summary: 'List active API tokens', response: z.object({ items: z.array(ApiTokenDto) }) },
    async (req) => ({ items: await auth.listApiTokens(req.creator.id) }),
  );
  http.delete(
    '/api/auth/tokens/:id',
    { auth: 'creator', tags, summary: 'Revoke an API token', status: 204, params: z.object({ id: z.uuid() }) },
    async (req) => {
      await auth.revokeApiToken(req.creator.id, req.params.id);
    },
  );
}
