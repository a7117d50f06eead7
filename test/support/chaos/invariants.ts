/** Anything that runs SQL: a pg Pool or Client. */
export interface Queryable {
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    params?: unknown[],
  ): Promise<{ rows: R[] }>;
}

/**
 * The money invariants of DESIGN §3, checked in SQL over the whole database. Returns one line
 * per violation (empty when all hold):
 * - no wallet is negative; every wallet's balance = the sum of its ledger = its lots' remainders;
 * - no lot holds more than it was credited, or less than nothing;
 * - every redemption is whole: allocations summing to its points, exactly one REDEMPTION
 *   ledger row, of minus its points, on its wallet; reversed never above redeemed, and equal
 *   to what its allocations got back;
 * - no REDEMPTION ledger row without its redemption.
 */
export async function ledgerProblems(db: Queryable): Promise<string[]> {
  const problems: string[] = [];
  const wallets = await db.query<{ id: string; balance: string; ledger: string; lots: string }>(
    `SELECT w.id::text, w.balance::text, COALESCE(l.total, 0)::text AS ledger,
            COALESCE(o.total, 0)::text AS lots
       FROM wallet w
       LEFT JOIN (SELECT wallet_id, sum(amount) AS total FROM ledger_entry GROUP BY wallet_id) l
              ON l.wallet_id = w.id
       LEFT JOIN (SELECT wallet_id, sum(remaining) AS total FROM lot GROUP BY wallet_id) o
              ON o.wallet_id = w.id
      WHERE w.balance < 0 OR w.balance <> COALESCE(l.total, 0) OR w.balance <> COALESCE(o.total, 0)`,
  );
  for (const w of wallets.rows) {
    problems.push(`wallet ${w.id}: balance ${w.balance}, ledger sum ${w.ledger}, lots ${w.lots}`);
  }
  const lots = await db.query<{ id: string; amount: string; remaining: string }>(
    `SELECT id::text, amount::text, remaining::text FROM lot
      WHERE remaining < 0 OR remaining > amount`,
  );
  for (const l of lots.rows) {
    problems.push(`lot ${l.id}: remaining ${l.remaining} of ${l.amount}`);
  }
  const redemptions = await db.query<{
    code: string;
    points: string;
    reversed: string;
    allocated: string;
    alloc_reversed: string;
    debits: number;
    debit: string;
    wrong_wallet: number;
  }>(
    `SELECT r.code, r.points::text, r.reversed_points::text AS reversed,
            COALESCE(a.points, 0)::text AS allocated, COALESCE(a.reversed, 0)::text AS alloc_reversed,
            COALESCE(l.n, 0)::int AS debits, COALESCE(l.amount, 0)::text AS debit,
            COALESCE(l.wrong_wallet, 0)::int AS wrong_wallet
       FROM redemption r
       LEFT JOIN (SELECT redemption_id, sum(points) AS points, sum(reversed) AS reversed
                    FROM redemption_allocation GROUP BY redemption_id) a ON a.redemption_id = r.id
       LEFT JOIN (SELECT e.redemption_id, count(*) AS n, sum(e.amount) AS amount,
                         count(*) FILTER (WHERE e.wallet_id <> r2.wallet_id) AS wrong_wallet
                    FROM ledger_entry e JOIN redemption r2 ON r2.id = e.redemption_id
                   WHERE e.kind = 'REDEMPTION' GROUP BY e.redemption_id) l ON l.redemption_id = r.id
      WHERE COALESCE(a.points, 0) <> r.points
         OR COALESCE(a.reversed, 0) <> r.reversed_points
         OR r.reversed_points > r.points
         OR COALESCE(l.n, 0) <> 1
         OR COALESCE(l.amount, 0) <> -r.points
         OR COALESCE(l.wrong_wallet, 0) <> 0`,
  );
  for (const r of redemptions.rows) {
    problems.push(
      `redemption ${r.code}: points ${r.points}, allocated ${r.allocated}, reversed ${r.reversed}` +
        ` (allocations got back ${r.alloc_reversed}), ${r.debits} REDEMPTION ledger rows` +
        ` summing to ${r.debit}${r.wrong_wallet > 0 ? ', on another wallet' : ''}`,
    );
  }
  const orphans = await db.query<{ id: string }>(
    `SELECT id::text FROM ledger_entry WHERE kind = 'REDEMPTION' AND redemption_id IS NULL`,
  );
  for (const o of orphans.rows)
    problems.push(`ledger entry ${o.id}: REDEMPTION without redemption`);
  return problems;
}

/** Redemptions by code: wallet, points, external reference and reversed points. */
export async function redemptionsByCode(
  db: Queryable,
  walletIds?: string[],
): Promise<
  Map<
    string,
    { id: string; walletId: string; points: string; ern: string | null; reversed: string }
  >
> {
  const { rows } = await db.query<{
    id: string;
    code: string;
    wallet_id: string;
    points: string;
    ern: string | null;
    reversed: string;
  }>(
    `SELECT id::text, code, wallet_id::text, points::text, external_reference_number AS ern,
            reversed_points::text AS reversed
       FROM redemption WHERE $1::bigint[] IS NULL OR wallet_id = ANY($1::bigint[])`,
    [walletIds ?? null],
  );
  return new Map(
    rows.map((r) => [
      r.code,
      { id: r.id, walletId: r.wallet_id, points: r.points, ern: r.ern, reversed: r.reversed },
    ]),
  );
}
