import { parse, protocol, type PGlite, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';
import { MAX_PREPARED_PER_CONNECTION, statementName } from './prepared-statements.ts';

const { serialize } = protocol;

/** A text prepared in the embedded database: its name and the types PostgreSQL gave its values. */
interface Prepared {
  name: string;
  types: number[];
}

/**
 * Makes the embedded database run every statement that comes with bound values
 * (`preparedQuery`; the ORM inlines its values and sends none) as a named prepared statement:
 * parsed and planned once, then only bound and run, as `prepareStatementsWithValues` does on
 * PostgreSQL. PGlite's `query` parses, describes, binds and runs each statement anew, in as many
 * calls into its WebAssembly, which costs several times running it.
 *
 * Each statement takes the locks PGlite's `query` takes: the query lock, and outside a
 * transaction the transaction lock too, so that it waits for a transaction in progress on the
 * one session rather than running inside it.
 */
export function prepareStatementsInPglite(pglite: PGlite): void {
  const prepared = new Map<string, Prepared>();
  const preparable = (text: string, params: unknown[] | undefined): params is unknown[] =>
    Boolean(params?.length) && (prepared.has(text) || prepared.size < MAX_PREPARED_PER_CONNECTION);

  const query = pglite.query.bind(pglite);
  pglite.query = <T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> =>
    preparable(text, params)
      ? pglite._runExclusiveTransaction(async () => {
          const results = await run<T>(text, params, options);
          await pglite.syncToFs();
          return results;
        })
      : query<T>(text, params, options);

  const transaction = pglite.transaction.bind(pglite);
  pglite.transaction = <T>(callback: (tx: Transaction) => Promise<T>) =>
    transaction((tx) => {
      const wrapped = Object.create(tx) as Transaction;
      wrapped.query = async <R>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<R>> => {
        if (!preparable(text, params)) return tx.query<R>(text, params, options);
        if (tx.closed) throw new Error('Transaction is closed');
        return run<R>(text, params, options);
      };
      return callback(wrapped);
    });

  async function run<T>(text: string, params: unknown[], options: QueryOptions | undefined): Promise<Results<T>> {
    return pglite.runExclusive(async () => {
      const statement = prepared.get(text) ?? (await prepare(text));
      const values = params.map((value, i) => serialized(value, statement.types[i]!, options));
      const messages = await send(serialize.bind({ statement: statement.name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync());
      return parse.parseResults(messages, pglite.parsers, options)[0] as Results<T>;
    });
  }

  async function prepare(text: string): Promise<Prepared> {
    const name = statementName(text);
    try {
      const messages = await send(serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync());
      const statement = { name, types: parse.parseDescribeStatementResults(messages) };
      prepared.set(text, statement);
      return statement;
    } catch (error) {
      // Should the describing fail, the parsed statement would refuse the next parse under its name (closing one that never was is no error).
      await send(serialize.close({ type: 'S', name }), serialize.sync());
      throw error;
    }
  }

  /**
   * Messages in one call into the database, ending with a sync: after an error it skips the
   * rest up to the sync, and the error is thrown once all are read.
   */
  async function send(...messages: Uint8Array[]) {
    return (await pglite.execProtocol(Buffer.concat(messages), { syncToFs: false })).messages;
  }

  /** As PGlite's `query` sends a value: in the text form of the type PostgreSQL expects. */
  function serialized(value: unknown, type: number, options: QueryOptions | undefined): string | null {
    if (value === null || value === undefined) return null;
    const serializer = options?.serializers?.[type] ?? pglite.serializers[type];
    return serializer ? serializer(value) : String(value);
  }
}
