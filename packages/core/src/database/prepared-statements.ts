import { hash } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';
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
  const Query = (client.constructor as unknown as { Query: QueryClass }).Query;
  // A `begin` not sent yet: it goes out with the transaction's first statement, in the same write.
  let begin: string | null = null;
  let inTransaction = false;
  // A statement run `withCommit`, waiting to go out with the `commit` that follows it.
  let held: Held | null = null;
  // Why the transaction failed, when a statement held for the commit had to go out alone and failed: the commit is refused with it.
  let failed: unknown = null;

  const query = (...args: unknown[]): unknown => {
    const [text, values, callback] = args;
    const plain = typeof text === 'string' && callback === undefined && (values === undefined || Array.isArray(values));
    const bound = plain && values !== undefined && values.length > 0;
    if (held) {
      const waiting = held;
      held = null;
      if (plain && !bound && COMMIT.test(text)) return commitWith(waiting);
      sendHeld(waiting);
    }
    const opening = begin;
    begin = null;
    if (!plain) return sendAfter(opening, args);
    if (!bound && opening === null && BEGIN.test(text)) {
      begin = text;
      inTransaction = true;
      failed = null;
      return Promise.resolve(answer(text));
    }
    if (!bound && END.test(text)) {
      inTransaction = false;
      const refusal = failed;
      failed = null;
      if (refusal !== null && COMMIT.test(text)) return Promise.reject(refusal);
      // A transaction that ran nothing has nothing to end.
      if (opening !== null) return Promise.resolve(answer(text));
    }
    const name = bound ? nameOf(text, names) : undefined;
    if (!name) return sendAfter(opening, args);
    const config = { name, text, values: values as unknown[] };
    const onHeld = inTransaction ? heldForCommit.getStore() : undefined;
    if (onHeld) {
      held = { opening, config, ...Promise.withResolvers<pg.QueryResult>() };
      // Should the commit not come before the next turn of the event loop, the statement goes out alone.
      const waiting = held;
      setImmediate(() => {
        if (held !== waiting) return;
        held = null;
        sendHeld(waiting);
      });
      onHeld();
      return waiting.promise;
    }
    return opening === null ? send(config) : pipeline(send, Query, { opening, config }).then(([result]) => result);
  };
  /** A statement that cannot carry a held-back `begin` goes out as it came, after it. */
  const sendAfter = (opening: string | null, args: unknown[]) => (opening === null ? send(...args) : send(opening).then(() => send(...args)));
  const sendHeld = ({ opening, config, resolve, reject }: Held) =>
    pipeline(send, Query, { opening, config }).then(
      ([result]) => resolve(result),
      (error: unknown) => {
        failed = error;
        reject(error);
      },
    );
  const commitWith = ({ opening, config, resolve, reject }: Held) => {
    inTransaction = false;
    const sent = pipeline(send, Query, { opening, config, closing: 'commit' });
    sent.then(([result]) => resolve(result), reject);
    return sent.then(([, committed]) => committed);
  };
  client.query = query as typeof client.query;
}

const heldForCommit = new AsyncLocalStorage<() => void>();

/**
 * Runs `write`, whose one statement with values is the last of its transaction before the
 * commit, so that on PostgreSQL the statement waits for the commit and both go out in one write
 * and one round trip. `held` settles once the statement is held: the caller must then let the
 * commit come without waiting for `write` (which settles with the commit, and whose failure fails
 * the commit). Elsewhere (the embedded database, or no transaction) `write` runs as usual and
 * `held` never settles.
 */
export function withCommit<T>(write: () => Promise<T>): { result: Promise<T>; held: Promise<void> } {
  const { promise: held, resolve } = Promise.withResolvers<void>();
  return { result: heldForCommit.run(resolve, write), held };
}

type QueryCallback = (error: Error | null, results: pg.QueryResult | pg.QueryResult[]) => void;
type QueryClass = new (config: pg.QueryConfig, values: undefined, callback: QueryCallback) => pg.Query;
type Statement = pg.QueryConfig & { name: string };
type Held = PromiseWithResolvers<pg.QueryResult> & { opening: string | null; config: Statement };

const BEGIN = /^\s*(begin|start transaction)\b/i;
const COMMIT = /^\s*commit\s*$/i;
const END = /^\s*(commit|rollback)\s*$/i;

/** What the ORM is told of a `begin` held back, or of an empty transaction's end: the command, no rows. */
const answer = (text: string) => ({ command: text.trim().split(/\s/)[0]!.toUpperCase(), rowCount: null, rows: [], fields: [], oid: 0 });

/** The prepared name of `text`, while the connection has room for another. */
function nameOf(text: string, names: Map<string, string>): string | undefined {
  return names.get(text) ?? (names.size < MAX_PREPARED_PER_CONNECTION ? remember(text, names) : undefined);
}

/**
 * A prepared statement with the commands around it (a held-back `begin` before, a `commit`
 * after) in one write and one round trip: PostgreSQL runs the messages up to a sync in turn,
 * each command parsed, bound and run without a sync of its own, and one ready-for-query answers
 * all. After an error PostgreSQL skips to the sync: a statement that fails leaves the
 * transaction open and failed, its `commit` not run, as if sent apart, for the ORM to roll back.
 * pg reads the results as a multi-statement answer; this answers the statement's, then the
 * closing command's.
 */
function pipeline(
  send: (query: pg.Query) => unknown,
  Query: QueryClass,
  { opening, config, closing }: { opening: string | null; config: Statement; closing?: string },
): Promise<[pg.QueryResult, pg.QueryResult]> {
  return new Promise((resolve, reject) => {
    const statement = new Query(config, undefined, (error, results) => {
      if (error) return reject(error);
      const all = Array.isArray(results) ? results : [results];
      const own = all[opening === null ? 0 : 1]!;
      resolve([own, all.at(-1)!]);
    });
    const submit = statement.submit.bind(statement);
    statement.submit = (connection) => {
      const wire = connection as unknown as PgConnection;
      const { name, text } = config;
      let restore: (() => void) | undefined;
      wire.stream.cork();
      try {
        if (opening !== null) {
          // A text new to this connection is parsed before the `begin`: should PostgreSQL refuse it,
          // the rest is skipped, so no transaction opens and pg's note of what is parsed stays true.
          if (!wire.parsedStatements[name] && !wire.submittedNamedStatements?.[name]) {
            wire.parse({ text, name });
            if (wire.submittedNamedStatements) wire.submittedNamedStatements[name] = text;
          }
          runCommand(wire, opening);
        }
        restore = closing === undefined ? undefined : closeBeforeSync(wire, closing);
        return submit(connection);
      } finally {
        restore?.();
        wire.stream.uncork();
      }
    };
    send(statement);
  });
}

/**
 * Writes `closing` after the statement's run, before its sync, until the answered function
 * restores the connection. Only once the statement is run: pg syncs without running it when its
 * values cannot be bound, and the commit must not run then.
 */
function closeBeforeSync(wire: PgConnection, closing: string): () => void {
  const { execute, sync } = Object.getPrototypeOf(wire) as PgConnection;
  let ran = false;
  wire.execute = (config) => {
    ran = true;
    execute.call(wire, config);
  };
  wire.sync = () => {
    if (ran) runCommand(wire, closing);
    sync.call(wire);
  };
  return () => {
    delete (wire as Partial<PgConnection>).execute;
    delete (wire as Partial<PgConnection>).sync;
  };
}

/** A command without values, parsed, bound and run with no sync of its own. */
function runCommand(wire: PgConnection, text: string): void {
  wire.parse({ text });
  wire.bind({});
  wire.execute({});
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
  sync(): void;
}

function remember(text: string, names: Map<string, string>): string {
  const name = statementName(text);
  names.set(text, name);
  return name;
}

/** The name a text is prepared under, the same on every connection. */
export const statementName = (text: string): string => `sc_${hash('sha256', text, 'base64url').slice(0, 24)}`;
