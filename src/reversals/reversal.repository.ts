import { Injectable } from '@nestjs/common';
import { Decimal } from '../common/decimal';
import { Sql } from '../database/db';

export interface RedemptionRef {
  id: number;
  code: string;
  walletId: number;
  customerId: number;
  programId: number;
  /** The program's rules a reversal keeps to. */
  decimalPlaces: number;
  redeemMultipleOf: Decimal | null;
}

/** What is left of a locked redemption to reverse, and how many reversals it has had. */
export interface Remaining {
  left: Decimal;
  reversals: number;
}

/** A reversal's reads of the redemption it reverses; its writes are the ledger's refill. */
@Injectable()
export class ReversalRepository {
  async findRedemption(
    sql: Sql,
    orgId: number,
    by: { code: string } | { externalReferenceNumber: string },
  ): Promise<RedemptionRef | undefined> {
    const [row] = await sql.query<{
      id: number;
      code: string;
      wallet_id: number;
      customer_id: number;
      program_id: number;
      decimal_places: number;
      redeem_multiple_of: string | null;
    }>(
      `SELECT r.id, r.code, r.wallet_id, r.customer_id, r.program_id, p.decimal_places,
              p.redeem_multiple_of
         FROM redemption r JOIN program p ON p.org_id = r.org_id AND p.id = r.program_id
        WHERE r.org_id = $1 AND ${'code' in by ? 'r.code = $2' : 'r.external_reference_number = $2'}`,
      [orgId, 'code' in by ? by.code : by.externalReferenceNumber],
    );
    return (
      row && {
        id: row.id,
        code: row.code,
        walletId: row.wallet_id,
        customerId: row.customer_id,
        programId: row.program_id,
        decimalPlaces: row.decimal_places,
        redeemMultipleOf:
          row.redeem_multiple_of === null ? null : Decimal.of(row.redeem_multiple_of),
      }
    );
  }

  /**
   * Locks the redemption (after its wallet) and returns what is left to reverse and how
   * many reversals it has had (read under the lock, so concurrent reversals count).
   */
  async lockRemaining(tx: Sql, orgId: number, redemptionId: number): Promise<Remaining> {
    const [row] = await tx.query<{ left: string; reversals: number }>(
      `SELECT points - reversed_points AS left,
              (SELECT count(*)::int FROM reversal
                WHERE reversal.org_id = $1 AND reversal.redemption_id = $2) AS reversals
         FROM redemption WHERE redemption.org_id = $1 AND redemption.id = $2 FOR UPDATE`,
      [orgId, redemptionId],
    );
    return { left: Decimal.of(row.left), reversals: row.reversals };
  }
}
