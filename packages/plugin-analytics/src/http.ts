import { STREAM_PLATFORMS, type HttpRegistrar } from '@streaming-companion/sdk';
import { z } from 'zod';
import { AnalyticsSummary, INTERVALS, TopTippers } from './contract.ts';
import { exportTips } from './csv-export.ts';
import type { Reports } from './reports.ts';

const tags = ['analytics'];

const Filters = z.object({
  sessionId: z.uuid().optional(),
  platform: z.enum(STREAM_PLATFORMS).optional(),
  /** ISO 8601: a date (midnight in `tz`) or a date-time with an offset. */
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  /** The creator's IANA time zone: day and week boundaries fall where they live. */
  tz: z.string().max(64).default('UTC'),
});

const rangeHelp =
  'Without `from`/`to`: the session’s span with `sessionId`, the last 30 days otherwise. `from`/`to` are ISO dates (midnight in `tz`) or date-times with an offset, half-open [from, to).';

/** The spec's `/api/analytics` routes: thin adapters over Reports and the CSV export. */
export function registerAnalyticsRoutes(http: HttpRegistrar, reports: Reports): void {
  http.get(
    '/api/analytics/summary',
    {
      auth: 'creator',
      tags,
      summary: 'What your streams earned in a range: totals, median, tippers, a curve, goals and menu sales',
      description: `${rangeHelp} The curve's \`interval\` is chosen from the range unless given (at most 1500 points).`,
      query: Filters.extend({ interval: z.enum(INTERVALS).optional() }),
      response: AnalyticsSummary,
    },
    (req) => reports.summary(req.em, req.creator.id, req.query),
  );
  http.get(
    '/api/analytics/top-tippers',
    {
      auth: 'creator',
      tags,
      summary: 'Who gave most in a range; anonymous tips count as one entry, "Anonymous"',
      description: rangeHelp,
      query: Filters.extend({ limit: z.coerce.number().int().min(1).max(100).default(10) }),
      response: TopTippers,
    },
    (req) => reports.topTippers(req.em, req.creator.id, req.query),
  );
  http.get(
    '/api/analytics/export',
    {
      auth: 'creator',
      tags,
      summary: 'Every tip of a range as CSV (RFC 4180), oldest first',
      description: `${rangeHelp} Columns: session_id, session_title, tipped_at (ISO 8601, UTC), tipper (empty when anonymous), anonymous, amount_cents, tokens, cents_per_token, source, menu_item. Streamed.`,
      query: Filters,
      contentType: 'text/csv; charset=utf-8',
    },
    async (req) => {
      const filter = await reports.filter(req.em, req.creator.id, req.query);
      req.reply.header('content-disposition', `attachment; filename="tips-${filter.range.from.toISOString().slice(0, 10)}-to-${filter.range.to.toISOString().slice(0, 10)}.csv"`);
      return exportTips(req.em, filter);
    },
  );
}
