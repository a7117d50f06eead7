import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every redemption updates one wallet row and at least one lot row. A row's new version can
 * only stay on its page when the page has room: on a full page the wallet update cannot be a
 * HOT update (one that leaves the wallet's three indexes alone), and the lot update (never
 * HOT: `remaining` is in its partial indexes' predicates) writes a second heap page. Pages
 * filled by bulk loads and by steady creation are full. At 1,000,000 customers only 31% of
 * wallet updates were HOT (98% at 10,000, where every page had long been updated), and each
 * redemption wrote 5.8 full-page images to the WAL (docs/performance.md, "As the data grows").
 * Pages written from now on keep a tenth free; existing pages gain room as their rows move.
 */
export class RoomForUpdates1766000000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE wallet SET (fillfactor = 90)`);
    await q.query(`ALTER TABLE lot SET (fillfactor = 90)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE lot RESET (fillfactor)`);
    await q.query(`ALTER TABLE wallet RESET (fillfactor)`);
  }
}
