import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { REDEMPTION_SQL } from '../../src/redemptions/redemption.sql';
import { createProgram, loadWallets } from '../support/redeem-helpers';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A redemption's updates of its wallet and lots are HOT updates (the rows' indexes left
 * alone): wallet and lot pages keep a tenth free (migration RoomForUpdates), also pages filled
 * by a bulk load, and the lot's partial indexes read `is_open`, which a partial spend leaves
 * unchanged, instead of `remaining` (migration LotSpendsInPlace). Checked on rows loaded
 * set-based, one row per page, the first update of each.
 */
describe('room for updates: a redemption updates its wallet and lots in place', () => {
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

  it('the first update of a wallet, and a partial spend of a lot, on a loaded page are HOT', async () => {
    const wallets = await onePerPage('wallet');
    const lots = await onePerPage('lot');
    expect(wallets.length).toBeGreaterThanOrEqual(10);
    expect(lots.length).toBeGreaterThanOrEqual(10);

    const client = await t.pg.connect();
    // Counted in this transaction only.
    const hotUpdates = async (table: string): Promise<number> => {
      const { rows } = await client.query<{ n: number }>(
        `SELECT pg_stat_get_xact_tuples_hot_updated($1::regclass)::int AS n`,
        [table],
      );
      return rows[0].n;
    };
    try {
      await client.query('BEGIN');
      await client.query(
        `UPDATE wallet SET balance = balance - 1, redeemed = redeemed + 1 WHERE id = ANY($1)`,
        [wallets],
      );
      expect(await hotUpdates('wallet')).toBe(wallets.length);

      const pages = `SELECT id, (ctid::text::point)[0] AS page FROM lot WHERE id = ANY($1) ORDER BY id`;
      const { rows: before } = await client.query<{ id: number; page: number }>(pages, [lots]);
      await client.query(`UPDATE lot SET remaining = remaining - 1 WHERE id = ANY($1)`, [lots]);
      const { rows: after } = await client.query<{ id: number; page: number }>(pages, [lots]);
      expect(after).toEqual(before);
      expect(await hotUpdates('lot')).toBe(lots.length);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });

  it('a lot is open exactly while it has points left, whoever writes it', async () => {
    const [lot] = await onePerPage('lot');
    const client = await t.pg.connect();
    // `listed`: among the wallet's open lots as a redemption reads them (its own statement).
    const state = async (): Promise<{ is_open: boolean; listed: boolean }> => {
      const { rows } = await client.query<{ is_open: boolean; wallet_id: string; org_id: string }>(
        `SELECT is_open, wallet_id, org_id FROM lot WHERE id = $1`,
        [lot],
      );
      const { rows: open } = await client.query<{ id: string | null }>(
        REDEMPTION_SQL.lotsAndReference,
        [rows[0].wallet_id, rows[0].org_id, 'room-no-such-reference'],
      );
      return { is_open: rows[0].is_open, listed: open.some((o) => String(o.id) === String(lot)) };
    };
    try {
      await client.query('BEGIN');
      expect(await state()).toEqual({ is_open: true, listed: true });
      await client.query(`UPDATE lot SET remaining = 0 WHERE id = $1`, [lot]);
      expect(await state()).toEqual({ is_open: false, listed: false });
      await client.query(`UPDATE lot SET remaining = 0.001 WHERE id = $1`, [lot]);
      expect(await state()).toEqual({ is_open: true, listed: true });
      await expect(
        client.query(`UPDATE lot SET is_open = false WHERE id = $1`, [lot]),
      ).rejects.toThrow(/can only be updated to DEFAULT/);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });

  it('are migrations of their own: down undoes both, up does both again', async () => {
    const schema = async (): Promise<Record<string, unknown>> => {
      const { rows } = await t.pg.query<{ relname: string; reloptions: string[] | null }>(
        `SELECT relname, reloptions FROM pg_class
          WHERE relname IN ('wallet', 'lot') AND relkind = 'r' ORDER BY relname`,
      );
      const { rows: indexes } = await t.pg.query<{ name: string; predicate: string }>(
        `SELECT indexrelid::regclass::text AS name, pg_get_expr(indpred, indrelid) AS predicate
           FROM pg_index WHERE indrelid = 'lot'::regclass AND indpred IS NOT NULL ORDER BY 1`,
      );
      const { rows: columns } = await t.pg.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM information_schema.columns
          WHERE table_name = 'lot' AND column_name = 'is_open'`,
      );
      return {
        fillfactor: Object.fromEntries(rows.map((r) => [r.relname, r.reloptions])),
        predicates: Object.fromEntries(indexes.map((i) => [i.name, i.predicate])),
        isOpen: columns[0].n === 1,
      };
    };
    const up = {
      fillfactor: { lot: ['fillfactor=90'], wallet: ['fillfactor=90'] },
      predicates: {
        lot_lapsing: '(is_open AND (expires_at IS NOT NULL))',
        lot_spend_order: 'is_open',
      },
      isOpen: true,
    };
    expect(await schema()).toEqual(up);
    const migrations = new DataSource(dataSourceOptions(t.databaseUrl, 2));
    await migrations.initialize();
    try {
      const undone: string[] = [];
      while (!undone.includes('RoomForUpdates1766000000000')) {
        const { rows } = await t.pg.query<{ name: string }>(
          'SELECT name FROM migrations ORDER BY id DESC LIMIT 1',
        );
        undone.push(rows[0].name);
        await migrations.undoLastMigration({ transaction: 'all' });
      }
      // Later migrations (none of them touch these tables) are undone on the way.
      expect(undone.slice(-2)).toEqual([
        'LotSpendsInPlace1766100000000',
        'RoomForUpdates1766000000000',
      ]);
      expect(await schema()).toEqual({
        fillfactor: { lot: null, wallet: null },
        predicates: {
          lot_lapsing: '((remaining > (0)::numeric) AND (expires_at IS NOT NULL))',
          lot_spend_order: '(remaining > (0)::numeric)',
        },
        isOpen: false,
      });
      await migrations.runMigrations({ transaction: 'all' });
      expect(await schema()).toEqual(up);
    } finally {
      await migrations.destroy();
    }
  });
});
