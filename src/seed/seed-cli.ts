import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { validateEnv } from '../config/env';
import { dataSourceOptions } from '../database/data-source-options';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import { runMigrations } from '../database/migrate';
import { seedDemo } from './seed';

// `npm run seed`: migrates and seeds DATABASE_URL, or the embedded database of `npm start`
// (which must not be running at the same time).
async function run(): Promise<void> {
  const env = validateEnv(process.env);
  const embedded = env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: env.EMBEDDED_PG_DIR,
        port: env.EMBEDDED_PG_PORT,
        database: 'points',
      });
  const ds = new DataSource(dataSourceOptions(env.DATABASE_URL ?? embedded!.url, 2));
  try {
    await ds.initialize();
    await runMigrations(ds);
    const runner = ds.createQueryRunner();
    await runner.startTransaction();
    try {
      const tx = {
        query: async <T>(text: string, params?: unknown[]) =>
          (await runner.query(text, params, true)).records as T[],
        execute: async (text: string, params?: unknown[]) =>
          (await runner.query(text, params, true)).affected ?? 0,
      };
      const { created } = await seedDemo(tx);
      await runner.commitTransaction();
      process.stdout.write(
        `${created ? 'seeded the demo data' : 'demo data already present; nothing changed'}\n`,
      );
    } catch (err) {
      await runner.rollbackTransaction();
      throw err;
    } finally {
      await runner.release();
    }
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await embedded?.stop();
  }
}

run().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
