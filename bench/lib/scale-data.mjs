import { withClient } from './pg.mjs';
import { DEMO_TILL, ORG_CODE, SPREAD_MOBILE_BASE } from './fixtures.mjs';

/**
 * The scale bench's customers, loaded set-based (SQL, not the API) in chunks, each one
 * transaction. Customer i has mobile SPREAD_MOBILE_BASE + i (so the load workers find them),
 * one wallet in the default program and the history of a year's use, every sum consistent:
 *   lot A: 1000 points, no expiry, 8 redemptions of 5 taken from it (960 left);
 *   lot B: 100 points, lapsing in 2100 (the lapse scenario moves that to now);
 *   10 ledger rows: 2 CREDIT, 8 REDEMPTION (balance 1060 = ledger = open lots);
 *   8 redemptions a month apart, each with its allocation and external reference number;
 * and every 50th customer the primary of a group of two.
 */
export const SCALE_MARK = 'scale';
const REDEMPTIONS_PER_CUSTOMER = 8;
const CHUNK = 50_000;

export async function scaleFixture(url) {
  return withClient(url, async (c) => {
    const {
      rows: [row],
    } = await c.query(
      `SELECT o.id AS org_id, p.id AS program_id, u.id AS till_id
         FROM org o JOIN program p ON p.org_id = o.id AND p.is_default
         JOIN app_user u ON u.org_id = o.id AND u.username = $2
        WHERE o.code = $1`,
      [ORG_CODE, DEMO_TILL.username],
    );
    if (!row) throw new Error(`the seeded org '${ORG_CODE}' or its till is missing`);
    return { orgId: row.org_id, programId: row.program_id, tillId: row.till_id };
  });
}

/** Loads customers [from, to) (1-based); `progress(done)` after each chunk. */
export async function loadCustomers(url, fixture, from, to, progress = () => undefined) {
  for (let start = from; start < to; start += CHUNK) {
    const end = Math.min(to, start + CHUNK);
    await withClient(url, async (c) => {
      await c.query('BEGIN');
      const {
        rows: [w],
      } = await c.query(
        `WITH c AS (
           INSERT INTO customer (org_id, mobile, firstname, created_at)
           SELECT $1, ($4::bigint + g)::text, $5, now() - interval '400 days'
             FROM generate_series($2::int, $3::int - 1) g
           RETURNING id
         ), w AS (
           INSERT INTO wallet (org_id, program_id, customer_id, balance, lifetime_points, redeemed,
                               updated_at)
           SELECT $1, $6, id, 1060, 1100, 40, now() - interval '30 days' FROM c ORDER BY id
           RETURNING id, customer_id
         )
         SELECT min(id)::text AS first, max(id)::text AS last,
                min(customer_id) AS "firstCustomer", max(customer_id) AS "lastCustomer" FROM w`,
        [fixture.orgId, start, end, SPREAD_MOBILE_BASE, SCALE_MARK, fixture.programId],
      );
      await c.query(
        `WITH l AS (
           INSERT INTO lot (org_id, wallet_id, amount, remaining, earned_at, expires_at, note)
           SELECT $1, w.id, x.amount, x.remaining, now() - interval '365 days' + x.later,
                  x.expires_at, x.note
             FROM wallet w,
                  (VALUES (1000, 960, NULL::timestamptz, interval '0', 'scale-a'),
                          (100, 100, timestamptz '2100-01-01', interval '1 day', 'scale-b'))
                    AS x(amount, remaining, expires_at, later, note)
            WHERE w.id BETWEEN $2 AND $3
            ORDER BY w.id, x.note
           RETURNING id, wallet_id, amount, note, earned_at
         )
         INSERT INTO ledger_entry (org_id, wallet_id, lot_id, kind, amount, balance_after,
                                   actor_type, request_id, created_at)
         SELECT $1, wallet_id, id, 'CREDIT', amount,
                CASE note WHEN 'scale-a' THEN 1000 ELSE 1100 END, 'system', 'scale-load', earned_at
           FROM l ORDER BY wallet_id, id`,
        [fixture.orgId, w.first, w.last],
      );
      await c.query(
        `WITH r AS (
           INSERT INTO redemption (org_id, code, wallet_id, program_id, customer_id, points,
                                   redeemed_value, transaction_number, external_reference_number,
                                   validation_type, redemption_time, till_id, request_id, created_at)
           -- Codes of six hex digits from the wallet id; one the service already drew at
           -- random (while the base size was measured) gets a Z in front instead.
           SELECT $1,
                  CASE WHEN EXISTS (SELECT 1 FROM redemption x
                                     WHERE x.org_id = $1 AND x.code = lpad(to_hex(w.id * $4 + k), 6, '0'))
                       THEN 'Z' || lpad(to_hex(w.id * $4 + k), 5, '0')
                       ELSE lpad(to_hex(w.id * $4 + k), 6, '0') END,
                  w.id, $2, w.customer_id, 5, 5,
                  'bill-' || w.id || '-' || k, 'scale-' || w.id || '-' || k, 'SKIPPED',
                  now() - interval '300 days' + k * interval '30 days',
                  $3, 'scale-load', now() - interval '300 days' + k * interval '30 days'
             FROM wallet w, generate_series(1, $4) k
            WHERE w.id BETWEEN $5 AND $6
            ORDER BY w.id, k
           RETURNING id, wallet_id, created_at
         ), a AS (
           INSERT INTO redemption_allocation (org_id, redemption_id, lot_id, seq, points)
           SELECT $1, r.id, l.id, 1, 5 FROM r JOIN lot l ON l.wallet_id = r.wallet_id AND l.note = 'scale-a'
         )
         INSERT INTO ledger_entry (org_id, wallet_id, kind, amount, balance_after, redemption_id,
                                   actor_type, actor_id, request_id, created_at)
         SELECT $1, wallet_id, 'REDEMPTION', -5,
                1100 - 5 * row_number() OVER (PARTITION BY wallet_id ORDER BY id),
                id, 'till', $3, 'scale-load', created_at
           FROM r ORDER BY wallet_id, id`,
        [
          fixture.orgId,
          fixture.programId,
          fixture.tillId,
          REDEMPTIONS_PER_CUSTOMER,
          w.first,
          w.last,
        ],
      );
      // A group for every 50th customer, with the next customer as its second member.
      await c.query(
        `WITH g AS (
           INSERT INTO customer_group (org_id, external_id, primary_customer_id)
           SELECT $1, 'scale-g-' || c.id, c.id FROM customer c
            WHERE c.id BETWEEN $2 AND $3 AND c.id % 50 = 1
           RETURNING id, primary_customer_id
         )
         INSERT INTO group_member (org_id, group_id, customer_id)
         SELECT $1, g.id, m.customer_id FROM g,
                LATERAL (VALUES (g.primary_customer_id), (g.primary_customer_id + 1)) m(customer_id)
          WHERE m.customer_id <= $3`,
        [fixture.orgId, w.firstCustomer, w.lastCustomer],
      );
      await c.query('COMMIT');
    });
    progress(end - from);
  }
  await withClient(url, (c) => c.query('VACUUM (ANALYZE)'));
}

/** Rows of the tables that grow, for the report. */
export async function tableCounts(url) {
  return withClient(url, async (c) => {
    const { rows } = await c.query(
      `SELECT relname AS table, n_live_tup::bigint::text AS rows
         FROM pg_stat_user_tables
        WHERE relname IN ('customer', 'wallet', 'lot', 'redemption', 'redemption_allocation',
                          'ledger_entry')
        ORDER BY relname`,
    );
    return Object.fromEntries(rows.map((r) => [r.table, Number(r.rows)]));
  });
}
