import type { HttpRegistrar } from '@streaming-companion/sdk';
import { z } from 'zod';
import { MAX_REHEARSAL_TIPS, REHEARSAL_SPEEDS, RehearsalDto } from './contract.ts';
import type { Rehearsals } from './rehearsals.ts';

const tags = ['rehearsals'];
const IdParams = z.object({ id: z.uuid() });

const tokens = z.int('must be a whole number of tokens').min(1).max(10_000);
const Simulate = z
  .object({
    tipCount: z.int().min(1).max(MAX_REHEARSAL_TIPS),
    durationSeconds: z.int().min(5).max(3_600),
    minTokens: tokens.default(1),
    maxTokens: tokens.default(500),
    // With at most 10,000 tokens, no simulated tip is above the tips plugin's default largest (1,000,000 cents).
    centsPerToken: z.int().min(1).max(100).default(5),
    seed: z
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .optional()
      .meta({ description: 'The same seed plays the same tips; random when left out' }),
  })
  .strict()
  .refine((s) => s.minTokens <= s.maxTokens, { path: ['maxTokens'], message: 'must be at least minTokens' });

const StartBody = z
  .object({
    fromSessionId: z
      .uuid()
      .optional()
      .meta({ description: 'One of your past sessions: its tips, chat lines and viewer counts are replayed in order with their original spacing, into a copy of its goals' }),
    simulate: Simulate.optional().meta({ description: 'Plausible tips for an account with nothing to replay' }),
    speed: z.literal(REHEARSAL_SPEEDS).default(1).meta({ description: '1: as it happened; 5: five times as fast' }),
  })
  .strict()
  .refine((b) => (b.fromSessionId === undefined) !== (b.simulate === undefined), {
    path: ['fromSessionId'],
    message: 'give exactly one of fromSessionId (a session to replay) or simulate',
  });

/** `/api/rehearsals`: thin adapters over Rehearsals. */
export function registerRehearsalRoutes(http: HttpRegistrar, rehearsals: Rehearsals): void {
  http.post(
    '/api/rehearsals',
    {
      auth: 'creator',
      tags,
      summary: 'Rehearse: replay a past session, or simulated tips, into your overlays',
      description:
        'Starts a session flagged `rehearsal` (analytics and webhooks leave it out) and plays into it at `speed` 1 or 5: tips through the real tip path, chat lines as live chat, viewer counts as reported ones. ' +
        'Give exactly one of `fromSessionId` (its tips, recorded chat and viewer counts with their original spacing, and its goals copied empty) or `simulate`. A 409 while a session is live.',
      status: 201,
      body: StartBody,
      response: RehearsalDto,
    },
    (req) => rehearsals.start(req.em, req.creator.id, req.body),
  );
  http.get(
    '/api/rehearsals',
    {
      auth: 'creator',
      tags,
      summary: 'Your rehearsals, newest first',
      query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
      response: z.object({ items: z.array(RehearsalDto) }).meta({ id: 'RehearsalList' }),
    },
    async (req) => ({ items: await rehearsals.list(req.em, req.creator.id, req.query.limit) }),
  );
  http.get('/api/rehearsals/:id', { auth: 'creator', tags, summary: "A rehearsal's progress", params: IdParams, response: RehearsalDto }, (req) =>
    rehearsals.get(req.em, req.creator.id, req.params.id),
  );
  http.post(
    '/api/rehearsals/:id/stop',
    { auth: 'creator', tags, summary: 'Stop a rehearsal now, ending its session (a stopped or finished one is answered unchanged)', params: IdParams, response: RehearsalDto },
    (req) => rehearsals.stop(req.em, req.creator.id, req.params.id),
  );
}
