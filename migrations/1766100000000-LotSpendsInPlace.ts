import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A redemption lowers a lot's `remaining`. While `remaining > 0` was the predicate of the
 * partial spend-order and lapsing indexes, that made every lot update a non-HOT update: a
 * column an index reads had changed, so the new row version got an entry in each of the lot's
 * three indexes, and at 1,000,000 customers each entry was a random leaf page, read and
 * written to the WAL whole after every checkpoint (docs/performance.md, "As the data grows").
 *
 * The indexes now read `is_open`, a stored column PostgreSQL computes as `remaining > 0` on
 * every write, so it can never disagree with `remaining`. A partial spend leaves it true, no
 * column an index reads changes, and the update is HOT (the room for it on the page is
 * `RoomForUpdates`'). Only the update that empties a lot (the last of its points spent,
 * written off, or restored by a reversal) touches the indexes, as it must: the lot leaves or
 * re-enters them. Every statement that wants open lots says `is_open`, which is what lets
 * the planner use these indexes.
 *
 * Adding the column rewrites `lot` under an exclusive lock: on a large table, run it in a
 * quiet window.
 */
export class LotSpendsInPlace1766100000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE lot ADD COLUMN is_open boolean NOT NULL GENERATED ALWAYS AS (remaining > 0) STORED`,
    );
    await this.indexes(q, 'is_open');
  }

  async down(q: QueryRunner): Promise<void> {
    await this.indexes(q, 'remaining > 0');
    await q.query(`ALTER TABLE lot DROP COLUMN is_open`);
  }

  private async indexes(q: QueryRunner, open: string): Promise<void> {
    await q.query(`DROP INDEX lot_spend_order`);
    await q.query(`DROP INDEX lot_lapsing`);
    await q.query(
      `CREATE INDEX lot_spend_order ON lot (wallet_id, expires_at NULLS LAST, earned_at, id) WHERE ${open}`,
    );
    await q.query(
      `CREATE INDEX lot_lapsing ON lot (org_id, expires_at, id) WHERE ${open} AND expires_at IS NOT NULL`,
    );
  }
}
