import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { createProgram, loadWallets } from './support/redeem-helpers';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Wallet and lot pages keep a tenth free (migration RoomForUpdates), so that a redemption's
 * wallet update can be HOT (its indexes left alone) and its lot update stays on its page, also
 * on pages filled by a bulk load. Checked on rows loaded set-based, one row per page, the first
 * update of each.
 */
describe('room for updates: wallet and lot pages keep a tenth free', () => {
  let t: TestApp;
  let program: number;

  beforeAll(async () => {
    t = await startTestApp('room_for_updates');
    program = await createProgram(t, { name: 'Room', min_redeem: 0, redeem_multiple_of: null });
    await loadWallets(t, program, { count: 2000, mark: 'room', mobileBase: 810_000_000_000 });
  });
  afterAll(async () => {
    await t.close();
  });

  /** One row of `table` per heap page of this program's rows (the full pages: not the last). */
  async function onePerPage(table: 'wallet' | 'lot'): Promise<number[]> {
    const ownRows =
      table === 'wallet'
        ? 'program_id = $1'
        : 'wallet_id IN (SELECT id FROM wallet WHERE program_id = $1)';
    const { rows } = await t.pg.query<{ id: number }>(
      `WITH own AS (SELECT id, (ctid::text::point)[0] AS page FROM ${table} WHERE ${ownRows})
       SELECT DISTINCT ON (page) id FROM own
        WHERE page < (SELECT max(page) FROM own) ORDER BY page, id`,
      [program],
    );
    return rows.map((r) => r.id);
  }

  it('the first update of a wallet on a loaded page is HOT; a lot keeps its page', async () => {
    const wallets = await onePerPage('wallet');
    const lots = await onePerPage('lot');
    expect(wallets.length).toBeGreaterThanOrEqual(10);
    expect(lots.length).toBeGreaterThanOrEqual(10);

    const client = await t.pg.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `UPDATE wallet SET balance = balance - 1, redeemed = redeemed + 1 WHERE id = ANY($1)`,
        [wallets],
      );
      const { rows: hot } = await client.query<{ n: number }>(
        `SELECT pg_stat_get_xact_tuples_hot_updated('wallet'::regclass)::int AS n`,
      );
      // Counted in this transaction only: every one of them was HOT.
      expect(hot[0].n).toBe(wallets.length);

      const pages = `SELECT id, (ctid::text::point)[0] AS page FROM lot WHERE id = ANY($1) ORDER BY id`;
      const { rows: before } = await client.query<{ id: number; page: number }>(pages, [lots]);
      await client.query(`UPDATE lot SET remaining = remaining - 1 WHERE id = ANY($1)`, [lots]);
      const { rows: after } = await client.query<{ id: number; page: number }>(pages, [lots]);
      expect(after).toEqual(before);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });

  it('is a migration of its own: down resets both tables, up sets them again', async () => {
    const fillfactors = async (): Promise<Record<string, string[] | null>> => {
      const { rows } = await t.pg.query<{ relname: string; reloptions: string[] | null }>(
        `SELECT relname, reloptions FROM pg_class
          WHERE relname IN ('wallet', 'lot') AND relkind = 'r' ORDER BY relname`,
      );
      return Object.fromEntries(rows.map((r) => [r.relname, r.reloptions]));
    };
    expect(await fillfactors()).toEqual({ lot: ['fillfactor=90'], wallet: ['fillfactor=90'] });
    const migrations = new DataSource(dataSourceOptions(t.databaseUrl, 2));
    await migrations.initialize();
    try {
      const { rows } = await t.pg.query<{ name: string }>(
        'SELECT name FROM migrations ORDER BY id DESC LIMIT 1',
      );
      expect(rows[0].name).toBe('RoomForUpdates1766000000000');
      await migrations.undoLastMigration({ transaction: 'all' });
      expect(await fillfactors()).toEqual({ lot: null, wallet: null });
      await migrations.runMigrations({ transaction: 'all' });
      expect(await fillfactors()).toEqual({ lot: ['fillfactor=90'], wallet: ['fillfactor=90'] });
    } finally {
      await migrations.destroy();
    }
  });
});
