import { Readable } from 'node:stream';
import { stringify, type Stringifier } from 'csv-stringify';
import type { EntityManager } from '@streaming-companion/sdk';
import { EXPORT_COLUMNS } from './contract.ts';
import type { ReportFilter } from './report-queries.ts';

const BATCH = 1_000;

/** Cells a spreadsheet would run as a formula start with one of these; such a cell gets a leading quote. */
const FORMULA_START = /^[=+\-@\t\r]/;
export const neutralise = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

interface ExportRow {
  tip_id: string;
  session_id: string;
  session_title: string | null;
  occurred_at: Date | string;
  tipper_name: string | null;
  anonymous: boolean;
  amount_cents: number;
  tokens: number | null;
  cents_per_token: number | null;
  source: string;
  menu_item: string | null;
}

/** With CRLF record ends csv-stringify quotes only a field holding CRLF, so a lone LF or CR (a title typed on two lines) would split the row. */
const LINE_BREAK = /[\r\n]/;

/**
 * The tips of a range as CSV (RFC 4180: quoted where needed, CRLF line ends), one row per tip,
 * oldest first, read a thousand at a time and written as the client takes them, so no export
 * is ever held in memory whole. Text a viewer wrote cannot become a spreadsheet formula.
 */
export function exportTips(em: EntityManager, filter: ReportFilter): Stringifier {
  const csv = stringify({ header: true, columns: [...EXPORT_COLUMNS], record_delimiter: 'windows', quoted_match: LINE_BREAK, cast: { string: neutralise, boolean: (b) => (b ? 'true' : 'false') } });
  const rows = Readable.from(tipRows(em, filter));
  rows.on('error', (error) => csv.destroy(error));
  rows.pipe(csv);
  return csv;
}

async function* tipRows(em: EntityManager, filter: ReportFilter) {
  let after: { at: Date; id: string } = { at: new Date(0), id: '00000000-0000-0000-0000-000000000000' };
  for (;;) {
    const batch = await em.execute<ExportRow[]>(
      `select t.tip_id, t.session_id, s.title as session_title, t.occurred_at, t.tipper_name, t.tipper_no is null as anonymous,
         t.amount_cents, t.tokens, t.cents_per_token, t.source, m.title as menu_item
       from analytics_tips t join analytics_sessions s on s.session_id = t.session_id left join analytics_menu_sales m on m.tip_id = t.tip_id
       where t.creator_id = :creatorId and t.occurred_at >= :from and t.occurred_at < :to
         and (:sessionId::uuid is null or t.session_id = :sessionId::uuid)
         and (:platform::text is null or t.platform = :platform::text)
         and (t.occurred_at, t.tip_id) > (:afterAt, :afterId::uuid)
       order by t.occurred_at, t.tip_id limit ${BATCH}`,
      { creatorId: filter.creatorId, from: filter.from, to: filter.to, sessionId: filter.sessionId, platform: filter.platform, afterAt: after.at, afterId: after.id },
    );
    for (const row of batch) {
      yield [
        row.session_id,
        row.session_title ?? '',
        new Date(row.occurred_at).toISOString(),
        row.anonymous ? '' : (row.tipper_name ?? ''),
        row.anonymous,
        row.amount_cents,
        row.tokens ?? '',
        row.cents_per_token ?? '',
        row.source,
        row.menu_item ?? '',
      ];
    }
    if (batch.length < BATCH) return;
    const last = batch.at(-1)!;
    after = { at: new Date(last.occurred_at), id: last.tip_id };
  }
}
