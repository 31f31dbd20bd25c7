import { SessionNoteDto, STREAM_PLATFORMS, StreamSessionDto, type HttpRegistrar } from '@streaming-companion/sdk';
import { z } from 'zod';
import type { SessionService } from './session-service.ts';

const IdParams = z.object({ id: z.uuid() });
/** Checked before its size: serialising recurses, and a body of 10,000 nested arrays would overflow the stack (a 500). */
const METADATA_MAX_DEPTH = 32;
const Metadata = z
  .record(z.string().max(64), z.unknown())
  .refine((m) => nestsAtMost(m, METADATA_MAX_DEPTH), { message: `must nest at most ${METADATA_MAX_DEPTH} levels`, abort: true })
  .refine((m) => JSON.stringify(m).length <= 8_192, 'must serialise to at most 8 KB');

/** Whether objects and arrays nest at most `maxDepth` levels; walked without recursion. */
function nestsAtMost(value: unknown, maxDepth: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    if (depth > maxDepth) return false;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return true;
}

/** The spec's session routes plus notes: thin adapters over SessionService. */
export function registerSessionRoutes(http: HttpRegistrar, sessions: SessionService): void {
  const tags = ['sessions'];
  http.post(
    '/api/sessions',
    {
      auth: 'creator',
      tags,
      summary: 'Start a streaming session (409 while another is active)',
      status: 201,
      body: z.object({
        platform: z.enum(STREAM_PLATFORMS),
        title: z.string().trim().min(1).max(200).optional(),
        metadata: Metadata.optional(),
      }),
      response: StreamSessionDto,
    },
    (req) => sessions.start(req.em, req.creator.id, req.body),
  );
  http.get('/api/sessions/active', { auth: 'creator', tags, summary: 'The active session (404 when none)', response: StreamSessionDto }, (req) =>
    sessions.active(req.em, req.creator.id),
  );
  http.get(
    '/api/sessions',
    {
      auth: 'creator',
      tags,
      summary: 'List sessions, newest first',
      query: z.object({
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(100).default(20),
        status: z.enum(['active', 'ended']).optional(),
      }),
      response: z
        .object({ items: z.array(StreamSessionDto), total: z.int(), page: z.int(), pageSize: z.int() })
        .meta({ id: 'StreamSessionPage' }),
    },
    (req) => sessions.list(req.em, req.creator.id, req.query),
  );
  http.get('/api/sessions/:id', { auth: 'creator', tags, summary: 'One session', params: IdParams, response: StreamSessionDto }, (req) =>
    sessions.get(req.em, req.creator.id, req.params.id),
  );
  http.patch(
    '/api/sessions/:id',
    {
      auth: 'creator',
      tags,
      summary: 'Update title, notes or metadata',
      params: IdParams,
      body: z
        .object({
          title: z.string().trim().min(1).max(200).nullable().optional(),
          notes: z.string().max(10_000).nullable().optional(),
          metadata: Metadata.optional(),
        })
        .strict()
        .refine((b) => Object.keys(b).length > 0, 'name at least one of title, notes, metadata'),
      response: StreamSessionDto,
    },
    (req) => sessions.update(req.em, req.creator.id, req.params.id, req.body),
  );
  http.post('/api/sessions/:id/end', { auth: 'creator', tags, summary: 'End a session (idempotent)', params: IdParams, response: StreamSessionDto }, (req) =>
    sessions.end(req.em, req.creator.id, req.params.id),
  );
  http.post(
    '/api/sessions/:id/notes',
    {
      auth: 'creator',
      tags,
      summary: 'Add a timestamped note',
      status: 201,
      params: IdParams,
      body: z.object({ text: z.string().trim().min(1).max(5_000) }),
      response: SessionNoteDto,
    },
    (req) => sessions.addNote(req.em, req.creator.id, req.params.id, req.body.text),
  );
  http.get(
    '/api/sessions/:id/notes',
    { auth: 'creator', tags, summary: 'Notes of a session, oldest first', params: IdParams, response: z.object({ items: z.array(SessionNoteDto) }) },
    (req) => sessions.listNotes(req.em, req.creator.id, req.params.id),
  );
}
