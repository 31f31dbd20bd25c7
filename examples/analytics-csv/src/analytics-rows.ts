import type { StreamingCompanionClient } from '@streaming-companion/client';

export interface ExportRange {
  /** ISO dates, `to` excluded, midnight in `tz`. */
  from: string;
  to: string;
  /** The creator's IANA time zone: where days begin. */
  tz: string;
}

export interface CsvTable {
  columns: readonly string[];
  rows: Array<Array<string | number>>;
}

/** What every row reports, by day or by session; the top tipper's name is a viewer's text. */
const FIGURES = ['tip_count', 'revenue_cents', 'unique_tippers', 'top_tipper', 'top_tipper_cents'] as const;

type Scope = { from: string; to: string; tz: string } | { sessionId: string; tz: string };

/** One scope's figures, from the analytics plugin (voided tips and rehearsals left out, as in every report). */
async function figures(client: StreamingCompanionClient, scope: Scope): Promise<Array<string | number>> {
  const [summary, top] = await Promise.all([client.analytics.summary(scope), client.analytics.topTippers({ ...scope, limit: 1 })]);
  const best = top.items[0];
  return [summary.tipCount, summary.totalCents, summary.uniqueTippers, best?.tipperName ?? '', best?.totalCents ?? ''];
}

/** One row per day of the range that had a tip, oldest first; days in `tz`. */
export async function rowsByDay(client: StreamingCompanionClient, range: ExportRange): Promise<CsvTable> {
  const { curve } = await client.analytics.summary({ ...range, interval: 'day' });
  const rows: CsvTable['rows'] = [];
  for (const point of curve) {
    if (!point.tipCount) continue;
    const date = localDate(new Date(point.start), range.tz);
    rows.push([date, ...(await figures(client, { from: date, to: nextDate(date), tz: range.tz }))]);
  }
  return { columns: ['date', ...FIGURES], rows };
}

const PAGE_SIZE = 100;

/** One row per session started in the range (rehearsals left out), oldest first; each session's figures cover all of it. */
export async function rowsBySession(client: StreamingCompanionClient, range: ExportRange): Promise<CsvTable> {
  // The server resolves the dates in `tz` to instants: the sessions are picked by the same bounds.
  const bounds = await client.analytics.summary(range);
  const [from, to] = [Date.parse(bounds.from), Date.parse(bounds.to)];
  const sessions = [];
  for (let page = 1; ; page++) {
    const { items, total } = await client.sessions.list({ page, pageSize: PAGE_SIZE });
    for (const session of items) {
      const started = Date.parse(session.startedAt);
      if (started >= from && started < to && !session.rehearsal) sessions.push(session);
    }
    // Sessions come newest first: past the range's start, no later page can be in it.
    const oldest = items.at(-1);
    if (!oldest || page * PAGE_SIZE >= total || Date.parse(oldest.startedAt) < from) break;
  }
  const rows: CsvTable['rows'] = [];
  for (const session of sessions.reverse()) {
    rows.push([
      session.id,
      session.title ?? '',
      session.platform,
      session.startedAt,
      session.endedAt ?? '',
      ...(await figures(client, { sessionId: session.id, tz: range.tz })),
    ]);
  }
  return { columns: ['session_id', 'title', 'platform', 'started_at', 'ended_at', ...FIGURES], rows };
}

/** The calendar date (YYYY-MM-DD) an instant falls on in `tz`. */
function localDate(instant: Date, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The calendar date after `date` (date arithmetic only: no time zone involved). */
function nextDate(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}
