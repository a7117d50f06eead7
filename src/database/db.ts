import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryRunner } from 'typeorm';
import { Env } from '../config/env';
import { constraintName, isDatabaseUnavailable, PgError, sqlState } from './pg-errors';

export type Row = Record<string, unknown>;

/** What a repository needs: run SQL on whatever connection or transaction it was handed. */
export interface Sql {
  query<T = Row>(text: string, params?: unknown[]): Promise<T[]>;
  /** Rows changed by an UPDATE/DELETE/INSERT. */
  execute(text: string, params?: unknown[]): Promise<number>;
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

class RunnerSql implements Sql {
  constructor(private readonly runner: QueryRunner) {}

  async query<T = Row>(text: string, params?: unknown[]): Promise<T[]> {
    const result = await this.runner.query(text, params, true);
    return result.records as T[];
  }

  async execute(text: string, params?: unknown[]): Promise<number> {
    const result = await this.runner.query(text, params, true);
    return result.affected ?? 0;
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
 * The one owner of transaction boundaries. Work runs inside BEGIN … COMMIT with a bounded
 * lock wait; deadlocks and serialization failures are retried from the start; a lock wait
 * past the limit becomes LockTimeoutError; a lost database becomes DatabaseUnavailableError.
 */
@Injectable()
export class Db implements Sql {
  private readonly lockTimeoutMs: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: ConfigService<Env, true>,
  ) {
    this.lockTimeoutMs = config.get('LOCK_TIMEOUT_MS', { infer: true });
  }

  async query<T = Row>(text: string, params?: unknown[]): Promise<T[]> {
    return this.withRunner((sql) => sql.query<T>(text, params));
  }

  async execute(text: string, params?: unknown[]): Promise<number> {
    return this.withRunner((sql) => sql.execute(text, params));
  }

  async transaction<T>(
    work: (tx: Sql) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    const lockTimeout = Math.trunc(options.lockTimeoutMs ?? this.lockTimeoutMs);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.withRunner(async (tx, runner) => {
          await runner.query(`BEGIN; SET LOCAL lock_timeout = ${lockTimeout}`);
          try {
            const result = await work(tx);
            await runner.query('COMMIT');
            return result;
          } catch (err) {
            await runner.query('ROLLBACK').catch(() => undefined);
            throw err;
          }
        });
      } catch (err) {
        const code = sqlState(err);
        const retryable =
          (code !== undefined && RETRYABLE.has(code)) ||
          (code === PgError.UNIQUE_VIOLATION &&
            options.retryOnConstraints?.includes(constraintName(err) ?? '') === true);
        if (retryable && attempt < MAX_ATTEMPTS) {
          await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
          continue;
        }
        if (code === PgError.LOCK_NOT_AVAILABLE) throw new LockTimeoutError();
        throw err;
      }
    }
  }

  private async withRunner<T>(work: (sql: Sql, runner: QueryRunner) => Promise<T>): Promise<T> {
    let runner: QueryRunner | undefined;
    try {
      runner = this.dataSource.createQueryRunner();
      await runner.connect();
      return await work(new RunnerSql(runner), runner);
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw new DatabaseUnavailableError(err);
      throw err;
    } finally {
      await runner?.release().catch(() => undefined);
    }
  }
}
