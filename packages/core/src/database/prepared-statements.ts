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
  const send = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult>;
  const names = new Map<string, string>();
  const Query = (client.constructor as unknown as { Query: new (config: pg.QueryConfig, values: undefined, callback: QueryCallback) => pg.Query }).Query;
  // A `begin` not sent yet: it goes out with the transaction's first statement, in the same write.
  let begin: string | null = null;
  const query = (...args: unknown[]): unknown => {
    const [text, values, callback] = args;
    const opening = begin;
    begin = null;
    if (typeof text !== 'string' || callback !== undefined || (values !== undefined && !Array.isArray(values))) return sendAfter(opening, args);
    const bound = values !== undefined && values.length > 0;
    if (!bound && opening === null && BEGIN.test(text)) {
      begin = text;
      return Promise.resolve(begun(text));
    }
    // A transaction that ran nothing has nothing to end.
    if (!bound && opening !== null && END.test(text)) return Promise.resolve(begun(text));
    const name = bound ? nameOf(text, names) : undefined;
    if (!name) return sendAfter(opening, args);
    return opening === null ? send({ name, text, values }) : afterBegin(send, Query, opening, { name, text, values });
  };
  /** A statement that cannot carry a held-back `begin` goes out as it came, after it. */
  const sendAfter = (opening: string | null, args: unknown[]) => (opening === null ? send(...args) : send(opening).then(() => send(...args)));
  client.query = query as typeof client.query;
}

type QueryCallback = (error: Error | null, results: pg.QueryResult | pg.QueryResult[]) => void;

const BEGIN = /^\s*(begin|start transaction)\b/i;
const END = /^\s*(commit|rollback)\s*$/i;

/** What the ORM is told of a `begin` held back, or of an empty transaction's end: the command, no rows. */
const begun = (text: string) => ({ command: text.trim().split(/\s/)[0]!.toUpperCase(), rowCount: null, rows: [], fields: [], oid: 0 });

/** The prepared name of `text`, while the connection has room for another. */
function nameOf(text: string, names: Map<string, string>): string | undefined {
  return names.get(text) ?? (names.size < MAX_PREPARED_PER_CONNECTION ? remember(text, names) : undefined);
}

/**
 * The transaction's `begin` and its first statement in one write and one round trip: PostgreSQL
 * runs the messages up to a sync in turn, so the `begin` (parsed, bound and run without a sync
 * of its own) opens the transaction the statement then runs in, and one ready-for-query answers
 * both. A statement that fails leaves the transaction open and failed, as after a separate
 * `begin`, for the ORM to roll back. pg reads the two results as a multi-statement answer.
 */
function afterBegin(
  send: (query: pg.Query) => unknown,
  Query: new (config: pg.QueryConfig, values: undefined, callback: QueryCallback) => pg.Query,
  opening: string,
  config: pg.QueryConfig & { name: string },
): Promise<pg.QueryResult> {
  return new Promise((resolve, reject) => {
    const statement = new Query(config, undefined, (error, results) => (error ? reject(error) : resolve(Array.isArray(results) ? results.at(-1)! : results)));
    const submit = statement.submit.bind(statement);
    statement.submit = (connection) => {
      const wire = connection as unknown as PgConnection;
      const { name, text } = config;
      wire.stream.cork();
      try {
        // A text new to this connection is parsed before the `begin`: should PostgreSQL refuse it,
        // the rest is skipped, so no transaction opens and pg's note of what is parsed stays true.
        if (!wire.parsedStatements[name] && !wire.submittedNamedStatements?.[name]) {
          wire.parse({ text, name });
          if (wire.submittedNamedStatements) wire.submittedNamedStatements[name] = text;
        }
        wire.parse({ text: opening });
        wire.bind({});
        wire.execute({});
        return submit(connection);
      } finally {
        wire.stream.uncork();
      }
    };
    send(statement);
  });
}

/** The parts of pg's connection (not in its types) that write protocol messages. */
interface PgConnection {
  stream: { cork(): void; uncork(): void };
  parsedStatements: Record<string, string>;
  /** In recent pg versions: texts sent for parsing, not yet answered. */
  submittedNamedStatements?: Record<string, string>;
  parse(config: { text: string; name?: string }): void;
  bind(config: object): void;
  execute(config: object): void;
}

function remember(text: string, names: Map<string, string>): string {
  const name = statementName(text);
  names.set(text, name);
  return name;
}

/** The name a text is prepared under, the same on every connection. */
export const statementName = (text: string): string => `sc_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
