import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient, QueryConfig, QueryResult } from 'pg';
import { DataSource } from 'typeorm';
import { Env } from '../config/env';
import { Metrics } from '../metrics/metrics';
import { TRANSACTION_SQL } from './database.sql';
import { pipeline, Step } from './pipeline';
import {
  constraintName,
  isDatabaseUnavailable,
  isStalePreparedStatement,
  PgError,
  sqlState,
} from './pg-errors';

export type Row = Record<string, unknown>;

/**
 * A statement the server parses and plans once per connection (a named prepared statement).
 * Declared once, at module level, for the statements every redemption sends; everything else
 * goes unnamed. See `prepared`.
 */
export interface Prepared {
  readonly name: string;
  readonly text: string;
}

const preparedTexts = new Map<string, string>();

/**
 * Declares a prepared statement. Names are global to a connection, so one name may never
 * stand for two texts; declaring it twice with the same text is harmless.
 */
export function prepared(name: string, text: string): Prepared {
  const known = preparedTexts.get(name);
  if (known !== undefined && known !== text) {
    throw new Error(`prepared statement "${name}" is declared with two different texts`);
  }
  preparedTexts.set(name, text);
  return { name, text };
}

/** What a repository needs: run SQL on whatever connection or transaction it was handed. */
export interface Sql {
  query<T = Row>(text: string | Prepared, params?: unknown[]): Promise<T[]>;
  /** Rows changed by an UPDATE/DELETE/INSERT. */
  execute(text: string | Prepared, params?: unknown[]): Promise<number>;
}

/** A prepared statement and its parameters, one of a `Tx.batch`. */
export interface Batched {
  statement: Prepared;
  params: unknown[];
}

/**
 * What a transaction's work gets: `Sql`, and ways to spend fewer round trips on it (each
 * costs the service and the server a send and a wake-up, and a wallet's lock is held
 * across every one of them). BEGIN always goes out with the transaction's first statement.
 */
export interface Tx extends Sql {
  /**
   * Runs `statements` in order in one round trip (a pipeline: database/pipeline.ts), one
   * result per statement. Each starts once the one before it has finished, with a snapshot
   * of its own (READ COMMITTED): a statement after one that waited for a lock sees what the
   * lock's last holder committed. After an error the rest are not run.
   */
  batch<T = Row>(statements: Batched[]): Promise<T[][]>;
  /**
   * Sends the next statement with COMMIT in one round trip: the transaction ends with it,
   * whatever the work does afterwards, which must not be SQL.
   */
  commitWithNext(): void;
}

/** The timeouts each connection's last committed transaction left it with ("lock/statement"). */
const sessionTimeouts = new WeakMap<PoolClient, string>();

const BEGIN = prepared('tx-begin', TRANSACTION_SQL.begin);
const SET_TIMEOUTS = prepared('tx-set-timeouts', TRANSACTION_SQL.setTimeouts);
const COMMIT = prepared('tx-commit', TRANSACTION_SQL.commit);

/** A lock wait ran past LOCK_TIMEOUT_MS, or a statement past STATEMENT_TIMEOUT_MS. */
export class LockTimeoutError extends Error {
  constructor() {
    super('lock wait exceeded the configured timeout');
  }
}

/** The database could not be reached; the request should be retried later (503). */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super('database unavailable', { cause });
  }
}

function queryConfig(text: string | Prepared, params: unknown[] | undefined): QueryConfig {
  if (typeof text === 'string') return { text, values: params };
  return { name: text.name, text: text.text, values: params ?? [] };
}

function step(text: string | Prepared, params: readonly unknown[] | undefined): Step {
  return typeof text === 'string' ? { text, params } : { name: text.name, text: text.text, params };
}

/**
 * Runs a transaction's statements on its checked-out connection, in the extended protocol.
 * BEGIN (and the timeouts, when the connection has others) go out in the first statement's
 * round trip.
 */
class ClientSql implements Tx {
  /** BEGIN has been sent (perhaps with a statement that failed: then ROLLBACK is due). */
  begun = false;
  private commitNext = false;
  /** COMMIT was sent with a statement (see commitWithNext) and succeeded. */
  committed = false;

  constructor(
    private readonly client: PoolClient,
    /** BEGIN, and the timeouts' setting when the connection needs it. */
    private readonly begin: readonly Step[],
  ) {}

  async query<T = Row>(text: string | Prepared, params?: unknown[]): Promise<T[]> {
    return (await this.send(text, params)).rows as T[];
  }

  async execute(text: string | Prepared, params?: unknown[]): Promise<number> {
    return (await this.send(text, params)).rowCount ?? 0;
  }

  commitWithNext(): void {
    this.commitNext = true;
  }

  async batch<T = Row>(statements: Batched[]): Promise<T[][]> {
    const results = await this.run(statements.map((s) => step(s.statement, s.params)));
    return results.map((r) => r.rows as T[]);
  }

  private async send(text: string | Prepared, params: unknown[] | undefined): Promise<QueryResult> {
    const [result] = await this.run([step(text, params)]);
    return result;
  }

  /** `statements` in one round trip, behind BEGIN when due, ahead of COMMIT when asked. */
  private async run(statements: Step[]): Promise<QueryResult[]> {
    if (this.committed) throw new Error('the transaction has already been committed');
    const steps = this.begun ? [...statements] : [...this.begin, ...statements];
    const skip = steps.length - statements.length;
    const commit = this.commitNext;
    if (commit) steps.push(step(COMMIT, []));
    this.begun = true;
    const results = await pipeline(this.client, steps);
    if (commit) this.committed = true;
    return results.slice(skip, skip + statements.length);
  }
}

export interface TransactionOptions {
  /** Overrides LOCK_TIMEOUT_MS for this transaction. */
  lockTimeoutMs?: number;
  /** Unique constraints whose violation means "draw a new random code and run again". */
  retryOnConstraints?: readonly string[];
}

const RETRYABLE = new Set<string>([PgError.DEADLOCK_DETECTED, PgError.SERIALIZATION_FAILURE]);
const MAX_ATTEMPTS = 5;
/**
 * Connections dropped because their prepared statements went stale (a migration changed
 * what a statement returns) before a transaction gives up: each try drops one, and a pool
 * may hold that many.
 */
const MAX_STALE_CONNECTIONS = 32;
const RETRY_REASON: Record<string, string> = {
  [PgError.DEADLOCK_DETECTED]: 'deadlock',
  [PgError.SERIALIZATION_FAILURE]: 'serialization',
};

/**
 * The one owner of transaction boundaries. Work runs inside BEGIN … COMMIT with a bounded
 * lock wait and statement; deadlocks and serialization failures are retried from the start; a
 * lock wait or statement past its limit becomes LockTimeoutError; a lost database becomes
 * DatabaseUnavailableError.
 *
 * Statements go to the connection pool of TypeORM's data source (which also runs the
 * migrations) through `pg` itself: one pool, and no query-runner layer on the hot path.
 */
@Injectable()
export class Db implements Sql {
  private readonly lockTimeoutMs: number;
  private readonly statementTimeoutMs: number;
  private readonly pool: Pool;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    config: ConfigService<Env, true>,
    private readonly metrics: Metrics,
  ) {
    this.lockTimeoutMs = config.get('LOCK_TIMEOUT_MS', { infer: true });
    this.statementTimeoutMs = config.get('STATEMENT_TIMEOUT_MS', { infer: true });
    this.pool = (dataSource.driver as unknown as { master: Pool }).master;
    // pg emits 'error' on a checked-out client whose server goes away; with no listener that
    // would end the process. The statement in flight fails anyway and the client is dropped.
    const logger = new Logger(Db.name);
    const onClientError = (err: Error): void =>
      logger.warn(`a database connection was lost: ${err.message}`);
    this.pool.on('acquire', (client) => {
      if (!client.listeners('error').includes(onClientError)) client.on('error', onClientError);
    });
  }

  /** The pool's connections: open, idle, and requests waiting for one. */
  poolStats(): { total: number; idle: number; waiting: number } {
    return {
      total: this.pool.totalCount,
      idle: this.pool.idleCount,
      waiting: this.pool.waitingCount,
    };
  }

  async query<T = Row>(text: string | Prepared, params?: unknown[]): Promise<T[]> {
    const result = await this.outside(text, params);
    return result.rows as T[];
  }

  async execute(text: string | Prepared, params?: unknown[]): Promise<number> {
    const result = await this.outside(text, params);
    return result.rowCount ?? 0;
  }

  async transaction<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const lockTimeout = Math.trunc(options.lockTimeoutMs ?? this.lockTimeoutMs);
    let stale = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(work, lockTimeout);
      } catch (err) {
        // Rolled back, and the connection that refused the statement is closed: the next
        // one prepares afresh. Not an attempt of its own (attempts are for contention).
        if (isStalePreparedStatement(err) && ++stale <= MAX_STALE_CONNECTIONS) {
          attempt--;
          continue;
        }
        const code = sqlState(err);
        const retryable =
          (code !== undefined && RETRYABLE.has(code)) ||
          (code === PgError.UNIQUE_VIOLATION &&
            options.retryOnConstraints?.includes(constraintName(err) ?? '') === true);
        if (retryable && attempt < MAX_ATTEMPTS) {
          this.metrics.transactionRetries.inc({ reason: RETRY_REASON[code] ?? 'code_collision' });
          await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
          continue;
        }
        // A statement past STATEMENT_TIMEOUT_MS is, by design, a lock wait lock_timeout did
        // not bound (docs/scaling.md): the caller retries either way.
        if (code === PgError.LOCK_NOT_AVAILABLE || code === PgError.QUERY_CANCELED) {
          throw new LockTimeoutError();
        }
        throw err;
      }
    }
  }

  /** One statement in its own implicit transaction. */
  private async outside(text: string | Prepared, params?: unknown[]): Promise<QueryResult> {
    for (let stale = 0; ; stale++) {
      let client: PoolClient | undefined;
      let failed: Error | undefined;
      try {
        client = await this.pool.connect();
        return await client.query(queryConfig(text, params));
      } catch (err) {
        // As pg's pool.query does: a connection a statement failed on is closed.
        failed = err instanceof Error ? err : new Error(String(err));
        if (isDatabaseUnavailable(err)) throw new DatabaseUnavailableError(err);
        if (isStalePreparedStatement(err) && stale < MAX_STALE_CONNECTIONS) continue;
        throw err;
      } finally {
        client?.release(failed);
      }
    }
  }

  private async once<T>(work: (tx: Tx) => Promise<T>, lockTimeout: number): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw isDatabaseUnavailable(err) ? new DatabaseUnavailableError(err) : err;
    }
    // A connection whose state is unknown (lost, or a failed ROLLBACK) is closed, not reused.
    let broken: Error | undefined;
    try {
      const known = sessionTimeouts.get(client);
      const wanted = `${lockTimeout}/${this.statementTimeoutMs}`;
      const begin = [step(BEGIN, [])];
      if (known !== wanted) {
        begin.push(step(SET_TIMEOUTS, [String(lockTimeout), String(this.statementTimeoutMs)]));
      }
      const tx = new ClientSql(client, begin);
      // Unknown until this transaction commits (a rolled-back SET is undone).
      sessionTimeouts.delete(client);
      try {
        const result = await work(tx);
        // Work that sent nothing never began a transaction.
        if (tx.begun && !tx.committed) await client.query(TRANSACTION_SQL.commit);
        if (tx.begun) sessionTimeouts.set(client, wanted);
        else if (known !== undefined) sessionTimeouts.set(client, known);
        return result;
      } catch (err) {
        if (tx.begun && !tx.committed) {
          await client.query(TRANSACTION_SQL.rollback).catch((rollbackErr: unknown) => {
            broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
          });
        }
        throw err;
      }
    } catch (err) {
      if (isDatabaseUnavailable(err)) {
        broken ??= err instanceof Error ? err : new Error(String(err));
        throw new DatabaseUnavailableError(err);
      }
      // Its prepared statements went stale: it is closed, not reused (see transaction).
      if (isStalePreparedStatement(err)) broken ??= err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  }
}
