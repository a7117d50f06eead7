import 'reflect-metadata';
import { validateEnv } from '../config/env';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import { inMigratedTransaction } from '../database/tool-database';
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
  try {
    const { created } = await inMigratedTransaction(env.DATABASE_URL ?? embedded!.url, (tx) =>
      seedDemo(tx),
    );
    process.stdout.write(
      `${created ? 'seeded the demo data' : 'demo data already present; nothing changed'}\n`,
    );
  } finally {
    await embedded?.stop();
  }
}

run().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
