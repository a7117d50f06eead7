import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The expiry sweeper walks lapsed lots in keyset order (expires_at, id) a batch at a time:
 * the lapsing index gains `id`, so each batch starts where the last ended even when a
 * million lots lapse at the same instant (an index on expires_at alone would re-read and
 * sort every lot of that instant for each batch).
 */
export class SweepInLapsingOrder1765400000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX lot_lapsing;
      CREATE INDEX lot_lapsing ON lot (expires_at, id) WHERE remaining > 0 AND expires_at IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX lot_lapsing;
      CREATE INDEX lot_lapsing ON lot (expires_at) WHERE remaining > 0 AND expires_at IS NOT NULL;
    `);
  }
}
