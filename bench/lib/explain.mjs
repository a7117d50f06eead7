import { createRequire } from 'node:module';
import pg from 'pg';
import { withClient } from './pg.mjs';
import { SPREAD_MOBILE_BASE } from './fixtures.mjs';

const require = createRequire(import.meta.url);
/** The service's statement texts, from its one module for the benchmarks. */
const statements = () => require('../../dist/src/statements.js');
const { prepareValue } = require('pg/lib/utils');

/** A parameter as an untyped literal, its text as the driver would bind it. */
const literal = (value) =>
  value === null || value === undefined ? 'NULL' : pg.escapeLiteral(String(prepareValue(value)));

/** Tables that grow with customers and traffic: a sequential scan on one of them fails. */
const GROWING = [
  'customer',
  'wallet',
  'lot',
  'redemption',
  'redemption_allocation',
  'ledger_entry',
  'reversal',
  'customer_group',
  'group_member',
  'validation_code',
  'missed_call',
  'idempotency_key',
  'notification',
  'audit_log',
];

/**
 * The statements on the service's hot paths (redeem, customer/get, customer/redemptions,
 * the sweeper, the ledger check), their texts loaded from the build, each with parameters
 * of a customer in the middle of the loaded data.
 */
function hotPathStatements(f, sample) {
  const {
    CUSTOMER_SQL,
    CUSTOMER_WHERE,
    CUSTOMER_READS_SQL,
    REDEMPTION_SQL,
    SPEND_SQL,
    WALLET_SQL,
    EXPIRE_SQL,
    LEDGER_CHECK_SQL,
  } = statements();
  const now = new Date().toISOString();
  const mobile = sample.mobile;
  return [
    ['customer by mobile', CUSTOMER_SQL.findBy(CUSTOMER_WHERE.mobile), [f.orgId, mobile]],
    ['customer by id', CUSTOMER_SQL.findBy(CUSTOMER_WHERE.id), [f.orgId, sample.customerId]],
    [
      'redeem: customer and wallet lock',
      CUSTOMER_SQL.findLockingWallet(CUSTOMER_WHERE.mobile),
      [f.orgId, mobile, f.programId],
    ],
    [
      'redeem: lots and reference',
      REDEMPTION_SQL.lotsAndReferenceOf(CUSTOMER_WHERE.mobile),
      [f.orgId, mobile, f.programId, 'scale-ref'],
    ],
    [
      'redeem: lots and reference (group wallet)',
      REDEMPTION_SQL.lotsAndReference,
      [sample.walletId, f.orgId, 'scale-ref'],
    ],
    [
      'redeem: the writing statement',
      SPEND_SQL,
      [
        f.orgId,
        'ZZZZZZ',
        sample.walletId,
        f.programId,
        sample.customerId,
        null,
        '1',
        '1',
        'bill',
        'scale-ref',
        '',
        'SKIPPED',
        now,
        '',
        '',
        '[]',
        f.tillId,
        'explain',
        now,
        `{${sample.lotId}}`,
        '{1}',
        '1059',
        'till',
      ],
    ],
    ['customer/get: wallets', CUSTOMER_READS_SQL.walletSummary, [sample.customerId, now, f.orgId]],
    [
      'customer/redemptions: count',
      CUSTOMER_READS_SQL.redemptionCount,
      [sample.customerId, f.orgId],
    ],
    [
      'customer/redemptions: page',
      CUSTOMER_READS_SQL.redemptionPage,
      [sample.customerId, 10, 0, f.orgId],
    ],
    [
      'customer/redemptions: keyset page (till, by code)',
      CUSTOMER_READS_SQL.redemptionPageBeforeCode,
      [sample.customerId, sample.redemptionCode, 10, f.orgId],
    ],
    [
      'customer redemptions: keyset page (console, by id)',
      CUSTOMER_READS_SQL.redemptionPageBefore,
      [sample.customerId, sample.redemptionId, 10, f.orgId],
    ],
    ['sweeper: lapsed lots', WALLET_SQL.dueForExpiry, [f.orgId, now, now, '0', 500]],
    ['sweeper: lock wallets', WALLET_SQL.tryLockMany, [f.orgId, `{${sample.walletId}}`]],
    [
      'sweeper: write off',
      EXPIRE_SQL,
      [f.orgId, `{${sample.walletId}}`, now, 'system', null, 'explain'],
    ],
    ['ledger check: wallet page', LEDGER_CHECK_SQL.walletTotals, [f.orgId, sample.walletId, 1000]],
    [
      'ledger check: redemption page',
      LEDGER_CHECK_SQL.redemptionTotals,
      [f.orgId, sample.redemptionId, 1000],
    ],
  ];
}

/**
 * Below this many rows a table is read whole however it is indexed (the planner is right
 * to): a sequential scan there is reported, not failed. The loaded data fills every table
 * a redemption or a customer read touches well past it, but reversals and the like.
 */
const SMALL_TABLE_ROWS = 10_000;

/** Tables sequentially scanned in a plan (EXPLAIN's JSON) that grow. */
function seqScans(node, out = []) {
  if (node['Node Type'] === 'Seq Scan' && GROWING.includes(node['Relation Name'])) {
    out.push(node['Relation Name']);
  }
  for (const child of node.Plans ?? []) seqScans(child, out);
  return out;
}

/**
 * EXPLAINs every hot-path statement twice: with its parameters (the custom plan) and as the
 * generic plan a prepared statement settles on after five runs. A statement is ok when
 * neither plan reads a growing table sequentially. Writes nothing (EXPLAIN without ANALYZE,
 * in a transaction rolled back).
 */
export async function explainHotPath(url, fixture, sampleIndex) {
  return withClient(url, async (c) => {
    const {
      rows: [sample],
    } = await c.query(
      `SELECT c.id AS "customerId", c.mobile, w.id::text AS "walletId",
              (SELECT min(id)::text FROM lot WHERE wallet_id = w.id) AS "lotId",
              (SELECT max(id)::text FROM redemption WHERE wallet_id = w.id) AS "redemptionId",
              (SELECT code FROM redemption WHERE wallet_id = w.id ORDER BY id DESC LIMIT 1)
                AS "redemptionCode"
         FROM customer c JOIN wallet w ON w.customer_id = c.id
        WHERE c.org_id = $1 AND c.mobile = $2`,
      [fixture.orgId, String(SPREAD_MOBILE_BASE + sampleIndex)],
    );
    if (!sample) throw new Error('EXPLAIN check: the sample customer is missing');
    const { rows: sizes } = await c.query(
      `SELECT relname, reltuples::bigint AS n FROM pg_class WHERE relname = ANY($1) AND relkind = 'r'`,
      [GROWING],
    );
    const rowsOf = new Map(sizes.map((r) => [r.relname, Number(r.n)]));
    const out = [];
    await c.query('BEGIN');
    try {
      for (const [i, [name, text, params]] of hotPathStatements(fixture, sample).entries()) {
        const plans = {};
        for (const mode of ['force_custom_plan', 'force_generic_plan']) {
          await c.query(`SET LOCAL plan_cache_mode = ${mode}`);
          await c.query(`PREPARE explain_${i}_${mode} AS ${text}`);
          // EXPLAIN takes no bound parameters: they go in as literals.
          const args = params.map(literal).join(', ');
          const {
            rows: [{ 'QUERY PLAN': plan }],
          } = await c.query(
            `EXPLAIN (FORMAT JSON) EXECUTE explain_${i}_${mode}${params.length ? `(${args})` : ''}`,
          );
          plans[mode === 'force_custom_plan' ? 'custom' : 'generic'] = seqScans(plan[0].Plan);
        }
        const scanned = [...new Set([...plans.custom, ...plans.generic])];
        const big = scanned.filter((t) => (rowsOf.get(t) ?? 0) >= SMALL_TABLE_ROWS);
        const small = scanned.filter((t) => !big.includes(t));
        out.push({
          name,
          ok: big.length === 0,
          plan:
            big.length > 0
              ? `Seq Scan on ${big.map((t) => `${t} (${rowsOf.get(t)} rows)`).join(', ')}`
              : small.length > 0
                ? `indexes; whole small tables: ${small.map((t) => `${t} (${rowsOf.get(t)} rows)`).join(', ')}`
                : 'indexes only',
        });
      }
    } finally {
      await c.query('ROLLBACK');
    }
    return out;
  });
}
