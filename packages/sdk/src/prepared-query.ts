import type { EntityManager } from '@mikro-orm/sql';
import { CompiledQuery } from 'kysely';

/**
 * Runs `text`, a statement with a `?` for each value (as `em.execute`; `\?` is a question mark;
 * PostgreSQL's `$1`, `$2`… to use one value in several places), with `params` bound to them, in
 * `em`'s transaction (on its own outside one), and answers its rows.
 *
 * `em.execute` writes the values into the text, so PostgreSQL parses and plans every call of
 * it afresh. Here the text travels apart from its values: the kernel prepares each text once
 * per database connection (PostgreSQL's or the embedded one's) and the database keeps its plan,
 * which spares it most of what a statement a plugin runs for every tip costs it. Give it a
 * fixed text (no values spliced in). A value takes its type from where it stands, so cast one
 * that cannot tell (`?::int * ?::int`, a value alone in a `select` list).
 */
export async function preparedQuery<Row extends object = Record<string, unknown>>(em: EntityManager, text: string, params: readonly unknown[]): Promise<Row[]> {
  const { rows } = await em.getKysely().executeQuery<Row>(CompiledQuery.raw(numbered(text), [...params]));
  return rows;
}

/** Texts whose numbering is kept: fixed texts are few, and one that splices values in must not grow this forever. */
const REMEMBERED = 1_000;
const numberedTexts = new Map<string, string>();

/** `text` with its `?` placeholders as PostgreSQL's `$1`, `$2`…, each fixed text worked out once. */
function numbered(text: string): string {
  let out = numberedTexts.get(text);
  if (out === undefined) {
    let n = 0;
    out = text.replace(/\\\?|\?/g, (mark) => (mark === '?' ? `$${++n}` : '?'));
    if (numberedTexts.size < REMEMBERED) numberedTexts.set(text, out);
  }
  return out;
}
