import { randomBytes, scryptSync } from 'node:crypto';
import { withClient } from './pg.mjs';
import {
  CHEAP_TILL,
  CUSTOMER_MARK,
  DEMO_TILL,
  HOT_MOBILE,
  HOT_POINTS,
  ORG_CODE,
  SPREAD_MOBILE_BASE,
  SPREAD_POINTS,
} from './fixtures.mjs';
import { md5Hex } from './util.mjs';

/** The stored password format of src/auth/password.ts, with the cheapest scrypt parameters. */
function cheapHash(password) {
  const [n, r, p] = [2, 1, 1];
  const salt = randomBytes(16);
  const key = scryptSync(md5Hex(password), salt, 32, { N: n, r, p });
  return ['scrypt', n, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * Adds the benchmark's data to the seeded demo org, set-based: `customers` customers with a
 * wallet, one lot, its CREDIT ledger row (balance = sum(ledger) = sum(open lots)), one hot
 * customer with a huge balance, and the cheap-hash till in the Default access group.
 */
export async function seedBench(url, { customers }) {
  return withClient(url, async (c) => {
    await c.query('BEGIN');
    const {
      rows: [org],
    } = await c.query(
      `SELECT o.id AS org_id, p.id AS program_id, g.id AS group_id, u.id AS till_id
         FROM org o
         JOIN program p ON p.org_id = o.id AND p.is_default
         JOIN access_group g ON g.org_id = o.id AND g.name = 'Default'
         JOIN app_user u ON u.org_id = o.id AND u.username = $2
        WHERE o.code = $1`,
      [ORG_CODE, DEMO_TILL.username],
    );
    if (!org) throw new Error(`the seeded org '${ORG_CODE}' or its till is missing`);
    await c.query(
      `INSERT INTO app_user (org_id, username, password_hash, access_group_id)
       VALUES ($1, $2, $3, $4)`,
      [org.org_id, CHEAP_TILL.username, cheapHash(CHEAP_TILL.password), org.group_id],
    );
    await c.query(
      `INSERT INTO customer (org_id, mobile, firstname)
       SELECT $1, ($2::bigint + g)::text, $3 FROM generate_series(1, $4::int) g`,
      [org.org_id, SPREAD_MOBILE_BASE, CUSTOMER_MARK, customers],
    );
    await c.query(
      `INSERT INTO customer (org_id, mobile, firstname, lastname) VALUES ($1, $2, $3, 'hot')`,
      [org.org_id, HOT_MOBILE, CUSTOMER_MARK],
    );
    await c.query(
      `INSERT INTO wallet (org_id, program_id, customer_id, balance, lifetime_points)
       SELECT c.org_id, $2, c.id, pts, pts
         FROM customer c,
              LATERAL (SELECT CASE WHEN c.mobile = $3 THEN $4::numeric ELSE $5::numeric END AS pts) x
        WHERE c.org_id = $1 AND c.firstname = $6`,
      [org.org_id, org.program_id, HOT_MOBILE, HOT_POINTS, SPREAD_POINTS, CUSTOMER_MARK],
    );
    await c.query(
      `INSERT INTO lot (org_id, wallet_id, amount, remaining, earned_at, note)
       SELECT w.org_id, w.id, w.balance, w.balance, now(), $3
         FROM wallet w JOIN customer c ON c.id = w.customer_id
        WHERE w.org_id = $1 AND w.program_id = $2 AND c.firstname = $3`,
      [org.org_id, org.program_id, CUSTOMER_MARK],
    );
    await c.query(
      `INSERT INTO ledger_entry (org_id, wallet_id, lot_id, kind, amount, balance_after,
                                 actor_type, request_id)
       SELECT org_id, wallet_id, id, 'CREDIT', amount, amount, 'system', 'bench-seed'
         FROM lot WHERE org_id = $1 AND note = $2`,
      [org.org_id, CUSTOMER_MARK],
    );
    const { rows } = await c.query(
      `SELECT id, mobile FROM customer WHERE org_id = $1 AND firstname = $2 ORDER BY mobile`,
      [org.org_id, CUSTOMER_MARK],
    );
    await c.query('COMMIT');
    await c.query('ANALYZE');
    const hot = rows.find((r) => r.mobile === HOT_MOBILE);
    return {
      orgId: org.org_id,
      programId: org.program_id,
      tillId: org.till_id,
      hotCustomerId: hot.id,
      spreadCustomerIds: rows.filter((r) => r !== hot).map((r) => r.id),
    };
  });
}

/**
 * After the run: every wallet still satisfies balance = sum(ledger) = sum(open lots) and
 * redeemed = sum(its redemptions), and how many redemptions were written.
 */
export async function checkIntegrity(url) {
  return withClient(url, async (c) => {
    const {
      rows: [r],
    } = await c.query(
      `WITH l AS (SELECT wallet_id, sum(remaining) AS total FROM lot GROUP BY wallet_id),
            e AS (SELECT wallet_id, sum(amount) AS total FROM ledger_entry GROUP BY wallet_id),
            r AS (SELECT wallet_id, sum(points) AS total FROM redemption GROUP BY wallet_id)
       SELECT count(*)::int AS wallets,
              count(*) FILTER (WHERE w.balance <> coalesce(l.total, 0)
                                  OR w.balance <> coalesce(e.total, 0)
                                  OR w.redeemed <> coalesce(r.total, 0))::int AS inconsistent,
              (SELECT count(*)::int FROM redemption) AS redemptions
         FROM wallet w
         LEFT JOIN l ON l.wallet_id = w.id
         LEFT JOIN e ON e.wallet_id = w.id
         LEFT JOIN r ON r.wallet_id = w.id`,
    );
    return r;
  });
}
