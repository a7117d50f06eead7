import { Injectable } from '@nestjs/common';
import { Decimal } from '../common/decimal';
import { Sql } from '../database/db';
import { Actor, LockedWallet } from '../wallets/wallet.repository';

export interface RedemptionRef {
  id: number;
  code: string;
  walletId: number;
  customerId: number;
  programId: number;
  decimalPlaces: number;
}

export interface ReversibleAllocation {
  id: number;
  lotId: number;
  open: Decimal;
  lotExpiresAt: Date | null;
}

export interface Restoration {
  allocationId: number;
  lotId: number;
  restored: Decimal;
  expired: Decimal;
}

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
    }>(
      `SELECT r.id, r.code, r.wallet_id, r.customer_id, r.program_id, p.decimal_places
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
      }
    );
  }

  /** Locks the redemption (after its wallet) and returns what is left to reverse. */
  async lockRemaining(tx: Sql, orgId: number, redemptionId: number): Promise<Decimal> {
    const [row] = await tx.query<{ left: string }>(
      `SELECT points - reversed_points AS left FROM redemption
        WHERE org_id = $1 AND id = $2 FOR UPDATE`,
      [orgId, redemptionId],
    );
    return Decimal.of(row.left);
  }

  /** The redemption's allocations with points not yet reversed, latest-consumed first. */
  async openAllocations(
    tx: Sql,
    orgId: number,
    redemptionId: number,
  ): Promise<ReversibleAllocation[]> {
    const rows = await tx.query<{
      id: number;
      lot_id: number;
      open: string;
      expires_at: Date | null;
    }>(
      `SELECT a.id, a.lot_id, a.points - a.reversed AS open, l.expires_at
         FROM redemption_allocation a JOIN lot l ON l.org_id = a.org_id AND l.id = a.lot_id
        WHERE a.org_id = $1 AND a.redemption_id = $2 AND a.points > a.reversed
        ORDER BY a.seq DESC`,
      [orgId, redemptionId],
    );
    return rows.map((r) => ({
      id: r.id,
      lotId: r.lot_id,
      open: Decimal.of(r.open),
      lotExpiresAt: r.expires_at,
    }));
  }

  /**
   * Writes one reversal: the reversal row, allocations marked, live lots refilled with a
   * REVERSAL ledger row each, the redemption's reversed total, and the wallet.
   */
  async apply(
    tx: Sql,
    r: {
      orgId: number;
      code: string;
      redemptionId: number;
      wallet: LockedWallet;
      requested: Decimal;
      restored: Decimal;
      expired: Decimal;
      restorations: Restoration[];
      actor: Actor & { id: number };
      now: Date;
    },
  ): Promise<number> {
    const [{ id }] = await tx.query<{ id: number }>(
      `INSERT INTO reversal (org_id, code, redemption_id, points_requested, points_restored,
                             points_expired, till_id, request_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        r.orgId,
        r.code,
        r.redemptionId,
        r.requested.toString(),
        r.restored.toString(),
        r.expired.toString(),
        r.actor.id,
        r.actor.requestId,
        r.now,
      ],
    );
    const live = r.restorations.filter((x) => x.restored.isPositive());
    let balance = r.wallet.balance;
    const balances = live.map((x) => (balance = balance.add(x.restored)).toString());
    await tx.query(
      `WITH parts AS (
         SELECT * FROM unnest($1::bigint[], $2::numeric[]) AS p(allocation_id, amount)
       ), refills AS (
         SELECT * FROM unnest($3::bigint[], $4::numeric[], $5::numeric[]) AS f(lot_id, amount, balance_after)
       ), allocations AS (
         UPDATE redemption_allocation a SET reversed = a.reversed + parts.amount
           FROM parts WHERE a.org_id = $6 AND a.id = parts.allocation_id
       ), lots AS (
         UPDATE lot SET remaining = lot.remaining + refills.amount FROM refills
          WHERE lot.org_id = $6 AND lot.id = refills.lot_id
       ), ledger AS (
         INSERT INTO ledger_entry (org_id, wallet_id, lot_id, kind, amount, balance_after,
                                   redemption_id, reversal_id, actor_type, actor_id, request_id, created_at)
         SELECT $6, $7, lot_id, 'REVERSAL', amount, balance_after, $8, $9, $10, $11, $12, $13 FROM refills
       ), redemption AS (
         UPDATE redemption SET reversed_points = reversed_points + $14::numeric
          WHERE redemption.org_id = $6 AND redemption.id = $8
       )
       UPDATE wallet SET balance = balance + $15::numeric, returned = returned + $15::numeric, updated_at = $13
        WHERE wallet.org_id = $6 AND wallet.id = $7`,
      [
        r.restorations.map((x) => x.allocationId),
        r.restorations.map((x) => x.restored.add(x.expired).toString()),
        live.map((x) => x.lotId),
        live.map((x) => x.restored.toString()),
        balances,
        r.orgId,
        r.wallet.id,
        r.redemptionId,
        id,
        r.actor.type,
        r.actor.id,
        r.actor.requestId,
        r.now,
        r.requested.toString(),
        r.restored.toString(),
      ],
    );
    r.wallet.balance = balance;
    return id;
  }
}
