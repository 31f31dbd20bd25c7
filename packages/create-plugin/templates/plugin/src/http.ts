import { Problem, type HttpRegistrar } from '@streaming-companion/sdk';
import { z } from 'zod';
import { Highlight, HighlightLabel } from './contract.ts';
import type { Highlights } from './highlights.ts';

const tags = ['starter-kit'];
const IdempotencyKey = z.string().trim().min(1).max(200);

/**
 * The routes, behind a creator's token: zod checks what comes in (a bad field is a 400 naming
 * it), the work is done by `Highlights`, and each route is in the server's `/api/docs`.
 */
export function registerHighlightRoutes(http: HttpRegistrar, highlights: Highlights): void {
  http.post(
    '/api/starter-kit/highlights',
    {
      auth: 'creator',
      tags,
      summary: 'Mark a highlight in one of your sessions',
      description: 'Send an `Idempotency-Key` header to make retries safe: a retry answers 200 with the first highlight.',
      status: 201,
      body: z.object({ sessionId: z.uuid(), label: HighlightLabel }).strict(),
      response: Highlight,
    },
    async (req) => {
      const key = idempotencyKeyOf(req.headers);
      // In a namespace of their own, so a client's key can never take the one a job marks under.
      const { highlight, replayed } = await highlights.mark(req.em, req.creator.id, { ...req.body, idempotencyKey: key && `request:${key}` });
      if (replayed) req.reply.status(200);
      return highlight;
    },
  );

  http.get(
    '/api/starter-kit/highlights',
    {
      auth: 'creator',
      tags,
      summary: 'The highlights of one of your sessions, oldest first',
      query: z.object({ sessionId: z.uuid() }),
      response: z.object({ items: z.array(Highlight) }),
    },
    async (req) => ({ items: await highlights.list(req.em, req.creator.id, req.query.sessionId) }),
  );
}

/** Headers are not in a route's schemas: the key is checked here, and a bad one named like any bad field. */
function idempotencyKeyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = headers['idempotency-key'];
  if (header === undefined) return undefined;
  const key = IdempotencyKey.safeParse(header);
  if (key.success) return key.data;
  const message = 'must be 1-200 characters';
  throw new Problem(400, 'validation_failed', `Idempotency-Key: ${message}`, { errors: [{ field: 'Idempotency-Key', rule: 'invalid', message }] });
}
