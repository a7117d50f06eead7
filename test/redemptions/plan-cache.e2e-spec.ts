import { Db } from '../../src/database/db';
import { makeCustomer, redeem } from '../support/api';
import { createProgram, itemOf, loadWallets } from '../support/redeem-helpers';
import { startTestApp, TestApp } from '../support/test-app';

interface PlanCount {
  name: string;
  generic_plans: number;
  custom_plans: number;
}

/**
 * A redemption's statements are prepared once per connection, and PostgreSQL plans a prepared
 * statement afresh on every execution (a custom plan) until its generic plan looks no dearer
 * than the custom ones. Planning the redemption's writing statement on every call cost a fifth
 * of the server's CPU per redemption (docs/performance.md): this holds the service to plans
 * made once, on each of its two pooled connections.
 */
describe('plan cache: the redemption path is planned once per connection', () => {
  let t: TestApp;
  let query: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp('plan_cache', { DB_POOL_SIZE: '2' });
    const program = await createProgram(t, {
      name: 'Plans',
      min_redeem: 0,
      redeem_multiple_of: null,
    });
    query = { skip_validation: 'true', program_id: String(program) };
    // As many wallets and lots as the benchmark's: over a handful of lots every plan looks
    // cheap, and the check below passed even without the allocations' LIMIT.
    await loadWallets(t, program, { count: 10_000, mark: 'plans', mobileBase: 800_000_000_000 });
    await t.pg.query('ANALYZE');
  });
  afterAll(async () => {
    await t.close();
  });

  /** Each pooled connection's prepared statements: both are held until both have read. */
  async function planCounts(): Promise<PlanCount[][]> {
    const db = t.app.get(Db);
    let arrived = 0;
    let bothRead!: () => void;
    const both = new Promise<void>((resolve) => (bothRead = resolve));
    const read = (): Promise<PlanCount[]> =>
      db.transaction(async (tx) => {
        const rows = await tx.query<PlanCount>(
          `SELECT name, generic_plans::int, custom_plans::int FROM pg_prepared_statements
            WHERE NOT from_sql ORDER BY name`,
        );
        if (++arrived === 2) bothRead();
        await both;
        return rows;
      });
    return Promise.all([read(), read()]);
  }

  it('uses generic plans after the first five, for one lot and for several', async () => {
    const one = await makeCustomer(t, [{ points: 1000, program_id: Number(query.program_id) }]);
    const several = await makeCustomer(t, [
      { points: 3, program_id: Number(query.program_id) },
      { points: 3, program_id: Number(query.program_id) },
      { points: 3, program_id: Number(query.program_id) },
      { points: 1000, program_id: Number(query.program_id) },
    ]);
    const calls = [
      ...Array.from({ length: 16 }, (_, i) => ({ mobile: one.mobile, points: 1, ref: `one-${i}` })),
      // 4 points from a lot of 3: every call spans two lots or more.
      ...Array.from({ length: 3 }, (_, i) => ({
        mobile: several.mobile,
        points: 4,
        ref: `several-${i}`,
      })),
    ];
    for (const c of calls) {
      const res = await redeem(
        t,
        {
          points_redeemed: c.points,
          customer: { mobile: c.mobile },
          external_reference_number: c.ref,
        },
        query,
      );
      expect(itemOf(res).item_status.code).toBe(800);
    }
    const allocations = await t.pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM redemption_allocation a
         JOIN redemption r ON r.org_id = a.org_id AND r.id = a.redemption_id
        WHERE r.external_reference_number LIKE 'several-%'`,
    );
    expect(allocations.rows[0].n).toBeGreaterThanOrEqual(6);

    const sessions = await planCounts();
    // No statement is planned more than five times on a connection (then the generic plan)...
    for (const c of sessions.flat()) expect(c.custom_plans).toBeLessThanOrEqual(5);
    // ...so of the redemption's statements, run once per call, all but five per connection
    // ran on a plan made before.
    for (const name of [
      'customer-by-mobile-locking-wallet',
      'redemption-lots-and-reference-of-mobile',
      'redemption-redeem',
    ]) {
      const runs = sessions.flat().filter((c) => c.name === name);
      const total = (key: 'generic_plans' | 'custom_plans'): number =>
        runs.reduce((sum, c) => sum + c[key], 0);
      expect({ name, runs: total('generic_plans') + total('custom_plans') }).toEqual({
        name,
        runs: calls.length,
      });
      expect(total('generic_plans')).toBeGreaterThanOrEqual(calls.length - 5 * runs.length);
    }
  });
});
