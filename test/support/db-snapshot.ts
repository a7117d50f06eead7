import { TestApp } from './test-app';

/** Tables whose row count a rejected request must leave unchanged. */
export const COUNTED_TABLES = [
  'redemption',
  'redemption_allocation',
  'ledger_entry',
  'reversal',
  'lot',
  'customer',
  'program',
  'validation_code',
  'notification',
  'idempotency_key',
  'customer_group',
  'group_member',
  'app_user',
  'custom_field',
  'missed_call',
  // (refusal_tally is left out: it counts refused items for the dashboard, as metrics do.)
  'audit_log',
] as const;

/**
 * Everything a rejected request could have changed: row counts, every wallet balance, and a
 * digest of the rows an admin call could update in place (config, programs, customers, groups,
 * validation-code attempts).
 */
export async function dbSnapshot(t: TestApp): Promise<Record<string, string | number>> {
  const counts = COUNTED_TABLES.map((name) => `(SELECT count(*) FROM ${name})::int AS ${name}`);
  const digest = (table: string, order: string) =>
    `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY ${order}), '')) FROM ${table} x) AS ${table}_rows`;
  const { rows } = await t.pg.query<Record<string, string | number>>(
    `SELECT ${counts.join(', ')},
            (SELECT coalesce(string_agg(id || '=' || balance, ',' ORDER BY id), '') FROM wallet) AS wallet_balances,
            ${digest('org_config', 'x.org_id')},
            ${digest('program', 'x.id')},
            ${digest('customer', 'x.id')},
            ${digest('customer_group', 'x.id')},
            ${digest('validation_code', 'x.id')}`,
  );
  return rows[0];
}

/** The entries of a snapshot that differ in a later one, as "before -> after". */
export function changed(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, string> {
  const diff: Record<string, string> = {};
  for (const key of Object.keys(before)) {
    if (before[key] !== after[key]) diff[key] = `${String(before[key])} -> ${String(after[key])}`;
  }
  return diff;
}
