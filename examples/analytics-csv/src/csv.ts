import { stringify } from 'csv-stringify/sync';

/** Cells a spreadsheet would run as a formula start with one of these (the server's own export uses the same rule). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text from viewers (a tipper's name) cannot become a spreadsheet formula: such a cell gets a leading quote. */
export const neutralise = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

/** RFC 4180: a header row, fields quoted where they need it, CRLF line ends; every text cell neutralised. */
export function toCsv(columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return stringify(rows as Array<Array<string | number>>, {
    header: true,
    columns: [...columns],
    record_delimiter: 'windows',
    // csv-stringify quotes a field holding the whole record delimiter (CRLF) but not a lone CR or LF.
    quoted_match: /[\r\n]/,
    cast: { string: neutralise },
  });
}
