import { Problem, queryDate, type HttpRegistrar } from '@streaming-companion/sdk';
import { z } from 'zod';
import { SessionTotals, TipDto, type TipsService } from './contract.ts';
import { CreateTipBody, VoidTipBody } from './schemas.ts';
import { listTips } from './tip-queries.ts';
import type { TipVoiding } from './tip-voiding.ts';

const IdempotencyKey = z.string().trim().min(1).max(200);
const TipPage = z.object({ items: z.array(TipDto), total: z.int(), page: z.int(), pageSize: z.int() }).meta({ id: 'TipPage' });
const RecordedTipResponse = TipDto.extend({ sessionTotals: SessionTotals }).meta({ id: 'RecordedTip' });

export function registerTipRoutes(http: HttpRegistrar, tips: TipsService, voiding: TipVoiding): void {
  http.post(
    '/api/tips',
    {
      auth: 'creator',
      tags: ['tips'],
      summary: 'Record a tip into your active session',
      description:
        'Send an `Idempotency-Key` header (or, for platform tips, the platform event id) to make retries safe: a retry answers 200 with the first tip; the same key with a different tip is refused with 422.',
      status: 201,
      body: CreateTipBody,
      response: RecordedTipResponse,
    },
    async (req) => {
      const header = req.headers['idempotency-key'];
      const key = header === undefined ? undefined : IdempotencyKey.safeParse(header);
      if (key && !key.success) {
        throw new Problem(400, 'validation_failed', 'Idempotency-Key: must be 1-200 characters', {
          errors: [{ field: 'Idempotency-Key', rule: 'invalid', message: 'must be 1-200 characters' }],
        });
      }
      const { tip, sessionTotals, replayed } = await tips.record(req.em, req.creator.id, req.body, { idempotencyKey: key?.data });
      if (replayed) {
        req.reply.status(200);
        req.reply.header('idempotent-replayed', 'true');
      }
      return { ...tip, sessionTotals };
    },
  );

  http.post(
    '/api/tips/:id/void',
    {
      auth: 'creator',
      tags: ['tips'],
      summary: 'Void one of your tips: it stays in history, marked, and leaves every total',
      description:
        "Takes the tip out of its session's totals (live or ended), goal progress, menu sales and analytics, and tells the session's sockets (`session_updated`, `tip_voided`, `tips_snapshot`). Idempotent: voiding a void tip answers it unchanged. Answers the tip with the corrected `sessionTotals`.",
      params: z.object({ id: z.uuid() }),
      body: VoidTipBody,
      response: RecordedTipResponse,
    },
    async (req) => {
      const { tip, sessionTotals } = await voiding.void(req.em, req.creator.id, req.params.id, req.body.reason);
      return { ...tip, sessionTotals };
    },
  );

  http.get(
    '/api/tips',
    {
      auth: 'creator',
      tags: ['tips'],
      summary: 'List your tips, newest first',
      query: z.object({
        sessionId: z.uuid().optional(),
        tipperName: z.string().trim().min(1).max(64).optional(),
        from: queryDate().optional(),
        to: queryDate().optional(),
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: TipPage,
    },
    (req) => listTips(req.em, req.creator.id, req.query),
  );
}
