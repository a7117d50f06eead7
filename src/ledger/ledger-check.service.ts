import { Injectable } from '@nestjs/common';
import { Decimal } from '../common/decimal';
import { Db } from '../database/db';
import { LedgerCheckRepository } from './ledger-check.repository';

export interface LedgerCheck {
  ok: boolean;
  wallets_checked: number;
  redemptions_checked: number;
  /** Every failure found; `failures` lists the first MAX_LISTED_FAILURES. */
  failure_count: number;
  failures: { wallet_id?: number; redemption_id?: string; problem: string }[];
}

/** Wallets (then redemptions) the ledger check reads per page. */
const LEDGER_CHECK_PAGE = 1000;
const MAX_LISTED_FAILURES = 1000;

/** The ledger check: the books of an org, held against each other. */
@Injectable()
export class LedgerCheckService {
  constructor(
    private readonly db: Db,
    private readonly totals: LedgerCheckRepository,
  ) {}

  /**
   * Every wallet of the org: balance = sum of its ledger = sum of its open lots, never
   * negative; every redemption's allocations add up to what it took, net of reversals.
   * Streams: one keyset page of LEDGER_CHECK_PAGE wallets (then redemptions) at a time, each
   * its own short read, so memory stays bounded and no redemption waits for the check;
   * failures are listed up to MAX_LISTED_FAILURES and all counted.
   */
  async verify(orgId: number): Promise<LedgerCheck> {
    const failures: LedgerCheck['failures'] = [];
    let failureCount = 0;
    const fail = (failure: LedgerCheck['failures'][number]): void => {
      failureCount++;
      if (failures.length < MAX_LISTED_FAILURES) failures.push(failure);
    };
    let walletsChecked = 0;
    for (let after = 0; ;) {
      const page = await this.totals.walletTotals(this.db, orgId, after, LEDGER_CHECK_PAGE);
      for (const w of page) {
        const balance = Decimal.of(w.balance);
        if (balance.isNegative())
          fail({ wallet_id: w.id, problem: `negative balance ${w.balance}` });
        if (!balance.eq(Decimal.of(w.ledger)))
          fail({
            wallet_id: w.id,
            problem: `balance ${w.balance} but ledger sums to ${w.ledger}`,
          });
        if (w.ledger_orphans > 0)
          fail({
            wallet_id: w.id,
            problem: `${w.ledger_orphans} ledger entries name a redemption that does not exist`,
          });
        if (!balance.eq(Decimal.of(w.lots)))
          fail({
            wallet_id: w.id,
            problem: `balance ${w.balance} but open lots hold ${w.lots}`,
          });
      }
      walletsChecked += page.length;
      if (page.length < LEDGER_CHECK_PAGE) break;
      after = page[page.length - 1].id;
    }
    let redemptionsChecked = 0;
    for (let after = 0; ;) {
      const page = await this.totals.redemptionTotals(this.db, orgId, after, LEDGER_CHECK_PAGE);
      for (const r of page) {
        if (!Decimal.of(r.allocated).eq(Decimal.of(r.points)))
          fail({
            redemption_id: r.code,
            problem: `allocations ${r.allocated} != points ${r.points}`,
          });
        if (!Decimal.of(r.alloc_reversed).eq(Decimal.of(r.reversed)))
          fail({
            redemption_id: r.code,
            problem: `reversed allocations ${r.alloc_reversed} != reversed ${r.reversed}`,
          });
        if (r.wallet_missing) fail({ redemption_id: r.code, problem: 'its wallet does not exist' });
        if (r.customer_missing)
          fail({ redemption_id: r.code, problem: 'its customer does not exist' });
        if (r.lots_missing > 0)
          fail({
            redemption_id: r.code,
            problem: `${r.lots_missing} allocations name a missing lot`,
          });
        if (!Decimal.of(r.ledger).neg().eq(Decimal.of(r.points)))
          fail({
            redemption_id: r.code,
            problem: `ledger debit ${r.ledger} != points ${r.points}`,
          });
      }
      redemptionsChecked += page.length;
      if (page.length < LEDGER_CHECK_PAGE) break;
      after = page[page.length - 1].id;
    }
    return {
      ok: failureCount === 0,
      wallets_checked: walletsChecked,
      redemptions_checked: redemptionsChecked,
      failure_count: failureCount,
      failures,
    };
  }
}
