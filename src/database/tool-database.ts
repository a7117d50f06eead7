import { DataSource } from 'typeorm';
import { maskDatabaseUrl } from '../common/redact';
import { Env } from '../config/env';
import { dataSourceOptions } from './data-source-options';
import { Sql } from './db';
import { useEmbeddedPostgres } from './embedded-postgres';
import { runMigrations } from './migrate';

/** The database `npm start` would use, as a command-line tool reaches it. */
export interface ToolDatabase {
  url: string;
  /** The URL with its password masked, for messages. */
  safeUrl: string;
  /** Stops the embedded server if this process started it; otherwise nothing. */
  release(): Promise<void>;
}

/**
 * DATABASE_URL, or the embedded database of EMBEDDED_PG_DIR: a running `npm start`'s (never
 * started nor stopped here), or started by this process for the while (see
 * useEmbeddedPostgres).
 */
export async function openToolDatabase(
  env: Env,
  notice: (line: string) => void,
): Promise<ToolDatabase> {
  if (env.DATABASE_URL) {
    const url = env.DATABASE_URL;
    return { url, safeUrl: maskDatabaseUrl(url), release: () => Promise.resolve() };
  }
  const embedded = await useEmbeddedPostgres({
    dataDir: env.EMBEDDED_PG_DIR,
    port: env.EMBEDDED_PG_PORT,
    database: 'points',
    notice,
  });
  return {
    url: embedded.url,
    safeUrl: embedded.safeUrl,
    release: () => embedded.stop(),
  };
}

/**
 * Applies pending migrations (under the lock every start takes), then runs `work` in one
 * transaction: committed when it returns, rolled back when it throws.
 */
export async function inMigratedTransaction<T>(
  url: string,
  work: (tx: Sql) => Promise<T>,
): Promise<T> {
  // Two connections: the migration lock is held on one while the migrations run on another.
  const ds = new DataSource(dataSourceOptions(url, 2));
  try {
    await ds.initialize();
    await runMigrations(ds);
    const runner = ds.createQueryRunner();
    await runner.startTransaction();
    try {
      // A one-off tool gains nothing from named prepared statements: their text is sent.
      const tx: Sql = {
        query: async <R>(text: string | { text: string }, params?: unknown[]) =>
          (await runner.query(typeof text === 'string' ? text : text.text, params, true))
            .records as R[],
        execute: async (text: string | { text: string }, params?: unknown[]) =>
          (await runner.query(typeof text === 'string' ? text : text.text, params, true))
            .affected ?? 0,
      };
      const result = await work(tx);
      await runner.commitTransaction();
      return result;
    } catch (err) {
      await runner.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await runner.release();
    }
  } finally {
    if (ds.isInitialized) await ds.destroy();
  }
}
