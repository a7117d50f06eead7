import { DataSource } from 'typeorm';
import { MIGRATION_LOCK_SQL } from './database.sql';

// Any fixed number shared by every instance: two instances starting at once must not both
// run the same migration.
const MIGRATION_LOCK = 7_320_431;

export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(MIGRATION_LOCK_SQL.lock, [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query(MIGRATION_LOCK_SQL.unlock, [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
