import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * customer/get reads the groups a customer is the primary of (customer_group by
 * primary_customer_id), which had no index: a sequential scan of every group per read. The
 * scale bench's EXPLAIN check (bench/lib/explain.mjs) found it.
 */
export class GroupsByPrimaryCustomer1765600000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX customer_group_primary ON customer_group (primary_customer_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX customer_group_primary`);
  }
}
