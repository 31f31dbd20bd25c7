import { z } from 'zod';

/**
 * One tip from the other source, one JSON object per line:
 * `{"id": "evt-1", "name": "Kai", "amountCents": 500, "message": "hi"}`, or `tokens` (with an
 * optional `centsPerToken`; the session's platform rate otherwise) instead of `amountCents`.
 * The limits are the server's, checked here so a bad line is reported by its own field names.
 */
export const TipLine = z
  .object({
    /** The source's id for the tip: the same id is the same tip, however often it is sent. */
    id: z.string().trim().min(1).max(180),
    name: z.string().trim().max(64).optional(),
    amountCents: z.int().positive().optional(),
    tokens: z.int().positive().optional(),
    centsPerToken: z.int().positive().max(10_000).optional(),
    message: z.string().trim().max(500).optional(),
  })
  .refine((line) => (line.amountCents === undefined) !== (line.tokens === undefined), {
    path: ['amountCents'],
    message: 'give amountCents or tokens, not both',
  });
export type TipLine = z.infer<typeof TipLine>;

export type ParsedLine = { ok: true; tip: TipLine } | { ok: false; reason: string };

export function parseTipLine(text: string): ParsedLine {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const parsed = TipLine.safeParse(json);
  if (parsed.success) return { ok: true, tip: parsed.data };
  return { ok: false, reason: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(line)'}: ${issue.message}`).join('; ') };
}

/**
 * The Idempotency-Key a tip is recorded under: derived from the source's id alone, so a line
 * sent again (a replayed log, a restart halfway through) returns the tip already recorded.
 */
export const idempotencyKey = (tip: TipLine): string => `tip-relay:${tip.id}`;
