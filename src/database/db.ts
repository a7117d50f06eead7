import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient, QueryConfig, QueryResult } from 'pg';
import { DataSource } from 'typeorm';
import { Env } from '../config/env';
import { Metrics } from '../metrics/metrics';
import { TRANSACTION_SQL } from './database.sql';
import { constraintName, isDatabaseUnavailable, PgError, sqlState } from './pg-errors';

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

/** A lock wait ran past LOCK_TIMEOUT_MS. */
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

/** Runs statements on one checked-out connection (a transaction's). */
class ClientSql implements Sql {
  constructor(private readonly client: PoolClient) {}

  async query<T = Row>(text: string | Prepared, params?: unknown[]): Promise<T[]> {
    const result: QueryResult = await this.client.query(queryConfig(text, params));
    return result.rows as T[];
  }

  async execute(text: string | Prepared, params?: unknown[]): Promise<number> {
    const result: QueryResult = await this.client.query(queryConfig(text, params));
    return result.rowCount ?? 0;
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
const RETRY_REASON: Record<string, string> = {
  [PgError.DEADLOCK_DETECTED]: 'deadlock',
  [PgError.SERIALIZATION_FAILURE]: 'serialization',
};

/**
 * The one owner of transaction boundaries. Work runs inside BEGIN … COMMIT with a bounded
 * lock wait; deadlocks and serialization failures are retried from the start; a lock wait
 * past the limit becomes LockTimeoutError; a lost database becomes DatabaseUnavailableError.
 *
 * Statements go to the connection pool of TypeORM's data source (which also runs the
 * migrations) through `pg` itself: one pool, and no query-runner layer on the hot path.
 */
@Injectable()
export class Db implements Sql {
  private readonly lockTimeoutMs: number;
  private readonly pool: Pool;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    config: ConfigService<Env, true>,
    private readonly metrics: Metrics,
  ) {
    this.lockTimeoutMs = config.get('LOCK_TIMEOUT_MS', { infer: true });
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

  async transaction<T>(
    work: (tx: Sql) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    const lockTimeout = Math.trunc(options.lockTimeoutMs ?? this.lockTimeoutMs);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(work, lockTimeout);
      } catch (err) {
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
        if (code === PgError.LOCK_NOT_AVAILABLE) throw new LockTimeoutError();
        throw err;
      }
    }
  }

  /** One statement in its own implicit transaction. */
  private async outside(text: string | Prepared, params?: unknown[]): Promise<QueryResult> {
    try {
      return await this.pool.query(queryConfig(text, params));
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw new DatabaseUnavailableError(err);
      throw err;
    }
  }

  private async once<T>(work: (tx: Sql) => Promise<T>, lockTimeout: number): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw isDatabaseUnavailable(err) ? new DatabaseUnavailableError(err) : err;
    }
    // A connection whose state is unknown (lost, or a failed ROLLBACK) is closed, not reused.
    let broken: Error | undefined;
    try {
      await client.query(TRANSACTION_SQL.begin(lockTimeout));
      try {
        const result = await work(new ClientSql(client));
        await client.query(TRANSACTION_SQL.commit);
        return result;
      } catch (err) {
        await client.query(TRANSACTION_SQL.rollback).catch((rollbackErr: unknown) => {
          broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
        });
        throw err;
      }
    } catch (err) {
      if (isDatabaseUnavailable(err)) {
        broken ??= err instanceof Error ? err : new Error(String(err));
        throw new DatabaseUnavailableError(err);
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }
}
