/*
 * Several statements in one round trip, in PostgreSQL's extended query protocol: for each,
 * Parse (only the first time a connection sees a named statement), Bind, Describe and
 * Execute, then one Sync for them all. The server runs them in order, each with a snapshot of
 * its own once the one before it has finished; after an error it skips the rest up to the
 * Sync. Named statements are planned once per connection, as the driver's own prepared
 * statements are, so a pipeline costs the server no more than the same statements sent one
 * round trip each (a simple-protocol batch of EXECUTEs did: its literals are parsed and
 * typed on every call).
 *
 * node-postgres sends one Sync per query; this is a query object of its own (a Submittable)
 * built on the driver's `Query`, which already collects one result per statement. Shared
 * with the benchmark's raw-Postgres client (bench/workers/raw.mjs loads it from dist/), so
 * both send the same messages. Imports nothing of the service.
 */
import { Query } from 'pg';
import type { PoolClient, QueryResult } from 'pg';
import { prepareValue } from 'pg/lib/utils';

/** One statement of a pipeline: named (parsed once per connection) or unnamed. */
export interface Step {
  /** The prepared statement's name; '' or absent: the unnamed statement, parsed each time. */
  name?: string;
  text: string;
  params?: readonly unknown[];
}

/** The part of the driver's connection a pipeline writes to and reads from. */
interface WireConnection {
  stream: { cork?: () => void; uncork?: () => void };
  parsedStatements: Record<string, string | undefined>;
  parse(query: { name: string; text: string; types: unknown[] }): void;
  bind(config: { statement: string; values: readonly unknown[] }): void;
  describe(message: { type: 'P'; name: string }): void;
  execute(config: { portal: string }): void;
  sync(): void;
  on(event: 'parseComplete', listener: () => void): void;
  off(event: 'parseComplete', listener: () => void): void;
}

type Callback = (err: Error | null, results: QueryResult | QueryResult[]) => void;

/** What the driver's `Query` does with the server's answers (not in its published types). */
interface QueryInternals {
  callback?: Callback;
  handleError(err: Error, connection: WireConnection): void;
  handleReadyForQuery(connection: WireConnection): void;
}

/** What the driver sees as this query's text (a pipeline sends its statements' own). */
const PIPELINE_TEXT = '-- pipeline';

const DriverQuery = Query as unknown as new (config: { text: string }) => QueryInternals;

class PipelineQuery extends DriverQuery {
  /** Statements parsed by this pipeline, in order, until the server confirms each. */
  private readonly parsing: Step[] = [];
  private connection: WireConnection | undefined;
  private readonly onParsed = (): void => {
    const step = this.parsing.shift();
    if (step?.name && this.connection) this.connection.parsedStatements[step.name] = step.text;
  };

  constructor(
    private readonly steps: readonly Step[],
    callback: Callback,
  ) {
    // The driver reads a query's text only for its own Parse, which this one does itself:
    // no need to join every statement's text on every call.
    super({ text: PIPELINE_TEXT });
    this.callback = callback;
  }

  submit(connection: WireConnection): Error | null {
    // Everything that can fail is done before anything is written: a pipeline goes out whole
    // or not at all (the driver answers a refused one without a round trip).
    let values: (string | Buffer | null)[][];
    try {
      values = this.steps.map((s) => (s.params ?? []).map((v, i) => prepareValue(v, i)));
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
    for (const step of this.steps) {
      const known = step.name ? connection.parsedStatements[step.name] : undefined;
      if (known !== undefined && known !== step.text) {
        return new Error(`prepared statement "${step.name}" was used for two texts`);
      }
    }
    this.connection = connection;
    connection.on('parseComplete', this.onParsed);
    const parsedHere = new Set<string>();
    connection.stream.cork?.();
    try {
      this.steps.forEach((step, i) => {
        const name = step.name ?? '';
        if (name === '' || (!connection.parsedStatements[name] && !parsedHere.has(name))) {
          connection.parse({ name, text: step.text, types: [] });
          this.parsing.push(step);
          if (name !== '') parsedHere.add(name);
        }
        connection.bind({ statement: name, values: values[i] });
        connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '' });
      });
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  override handleError(err: Error, connection: WireConnection): void {
    this.done();
    super.handleError(err, connection);
  }

  override handleReadyForQuery(connection: WireConnection): void {
    this.done();
    super.handleReadyForQuery(connection);
  }

  /** The server skips what follows an error, Parse messages too: those were never parsed. */
  private done(): void {
    this.connection?.off('parseComplete', this.onParsed);
    this.parsing.length = 0;
  }
}

/**
 * Runs `steps` on `client` in one round trip; one result per step, in order. Rejects with
 * the first statement's error (the later ones were not run).
 */
export function pipeline(client: PoolClient, steps: readonly Step[]): Promise<QueryResult[]> {
  return new Promise((resolve, reject) => {
    const query = new PipelineQuery(steps, (err, results) => {
      if (err) reject(err);
      else resolve(Array.isArray(results) ? results : [results]);
    });
    void client.query(query as unknown as Parameters<PoolClient['query']>[0]);
  });
}
