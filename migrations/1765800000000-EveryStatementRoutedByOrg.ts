import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every statement on a table that would be distributed by org now names the org of each such
 * table it reads or writes (docs/scaling.md), and the jobs that serve every org work one org
 * at a time. For that:
 * - redemption_allocation, the one such table without it, gets org_id (its redemption's);
 * - the indexes the per-org jobs walk lead with org_id: the sweeper's lapsing lots, the
 *   outbox's unsent messages, the purge's idempotency keys by age.
 */
export class EveryStatementRoutedByOrg1765800000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE redemption_allocation ADD COLUMN org_id integer`);
    await q.query(
      `UPDATE redemption_allocation a SET org_id = r.org_id FROM redemption r WHERE r.id = a.redemption_id`,
    );
    await q.query(`ALTER TABLE redemption_allocation ALTER COLUMN org_id SET NOT NULL`);

    await q.query(`DROP INDEX lot_lapsing`);
    await q.query(
      `CREATE INDEX lot_lapsing ON lot (org_id, expires_at, id)
        WHERE remaining > 0 AND expires_at IS NOT NULL`,
    );
    await q.query(`DROP INDEX notification_unsent`);
    await q.query(
      `CREATE INDEX notification_unsent ON notification (org_id, id) WHERE sent_at IS NULL`,
    );
    await q.query(`DROP INDEX idempotency_key_created`);
    await q.query(`CREATE INDEX idempotency_key_created ON idempotency_key (org_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idempotency_key_created`);
    await q.query(`CREATE INDEX idempotency_key_created ON idempotency_key (created_at)`);
    await q.query(`DROP INDEX notification_unsent`);
    await q.query(`CREATE INDEX notification_unsent ON notification (id) WHERE sent_at IS NULL`);
    await q.query(`DROP INDEX lot_lapsing`);
    await q.query(
      `CREATE INDEX lot_lapsing ON lot (expires_at, id) WHERE remaining > 0 AND expires_at IS NOT NULL`,
    );
    await q.query(`ALTER TABLE redemption_allocation DROP COLUMN org_id`);
  }
}
