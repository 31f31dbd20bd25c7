import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Distinct texts a connection keeps prepared; later ones run unnamed. A statement that splices
 * values into its text would otherwise fill the database session with plans used once.
 */
export const MAX_PREPARED_PER_CONNECTION = 500;

/**
 * Makes a PostgreSQL connection run every statement that comes with bound values
 * (`preparedQuery`) as a named prepared statement: parsed and planned once per connection,
 * then only bound and run. The ORM writes its values into its texts and sends none, so its
 * statements are left as they are.
 *
 * Needs a session per connection: a pooler in transaction mode (PgBouncer before 1.21, or
 * without `max_prepared_statements`) would hand the next statement another session.
 */
export function prepareStatementsWithValues(client: pg.ClientBase): void {
  const send = client.query.bind(client) as (...args: unknown[]) => unknown;
  const names = new Map<string, string>();
  const query = (...args: unknown[]): unknown => {
    const [text, values, callback] = args;
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || callback !== undefined) return send(...args);
    const name = names.get(text) ?? (names.size < MAX_PREPARED_PER_CONNECTION ? remember(text, names) : undefined);
    return name ? send({ name, text, values }) : send(text, values);
  };
  client.query = query as typeof client.query;
}

function remember(text: string, names: Map<string, string>): string {
  const name = statementName(text);
  names.set(text, name);
  return name;
}

/** The name a text is prepared under, the same on every connection. */
export const statementName = (text: string): string => `sc_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
