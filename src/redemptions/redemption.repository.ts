import { Injectable } from '@nestjs/common';
import { Decimal } from '../common/decimal';
import { Sql } from '../database/db';
import { Allocation } from '../wallets/allocate';
import { Actor, LockedWallet } from '../wallets/wallet.repository';

export interface NewRedemption {
  orgId: number;
  code: string;
  wallet: LockedWallet;
  programId: number;
  customerId: number;
  groupId: number | null;
  points: Decimal;
  redeemedValue: Decimal;
  transactionNumber: string;
  externalReferenceNumber: string | null;
  validationCode: string;
  validationType: 'NONE' | 'SKIPPED' | 'SMS' | 'MISSED_CALL';
  redemptionTime: Date;
  notes: string;
  purpose: string;
  customFields: { name: string; value: string }[];
  actor: Actor & { id: number };
  now: Date;
}

@Injectable()
export class RedemptionRepository {
  async externalReferenceUsed(sql: Sql, orgId: number, ern: string): Promise<boolean> {
    const rows = await sql.query(
      'SELECT 1 FROM redemption WHERE org_id = $1 AND external_reference_number = $2',
      [orgId, ern],
    );
    return rows.length > 0;
  }

  /**
   * Inserts the redemption; undefined when its external reference number is taken (the
   * unique index decides, also against a concurrent insert that commits first).
   */
  async insert(tx: Sql, r: NewRedemption): Promise<string | undefined> {
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO redemption (org_id, code, wallet_id, program_id, customer_id, group_id, points,
         redeemed_value, transaction_number, external_reference_number, validation_code,
         validation_type, redemption_time, notes, purpose, custom_fields, till_id, request_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
       ON CONFLICT (org_id, external_reference_number) WHERE external_reference_number IS NOT NULL
       DO NOTHING
       RETURNING id`,
      [
        r.orgId,
        r.code,
        r.wallet.id,
        r.programId,
        r.customerId,
        r.groupId,
        r.points.toString(),
        r.redeemedValue.toString(),
        r.transactionNumber,
        r.externalReferenceNumber,
        r.validationCode,
        r.validationType,
        r.redemptionTime,
        r.notes,
        r.purpose,
        JSON.stringify(r.customFields),
        r.actor.id,
        r.actor.requestId,
        r.now,
      ],
    );
    return row?.id;
  }

  /** Allocations, lot decrements, the REDEMPTION ledger row and the wallet, in one statement. */
  async applySpend(
    tx: Sql,
    redemptionId: string,
    r: NewRedemption,
    allocations: Allocation[],
    balanceAfter: Decimal,
  ): Promise<void> {
    await tx.query(
      `WITH alloc AS (
         SELECT * FROM unnest($2::bigint[], $3::numeric[]) WITH ORDINALITY AS a(lot_id, points, seq)
       ), lots AS (
         UPDATE lot SET remaining = lot.remaining - alloc.points FROM alloc WHERE lot.id = alloc.lot_id
       ), allocations AS (
         INSERT INTO redemption_allocation (redemption_id, lot_id, seq, points)
         SELECT $1, lot_id, seq, points FROM alloc
       ), ledger AS (
         INSERT INTO ledger_entry (org_id, wallet_id, kind, amount, balance_after, redemption_id,
                                   actor_type, actor_id, request_id, created_at)
         VALUES ($4, $5, 'REDEMPTION', -$6::numeric, $7, $1, $8, $9, $10, $11)
       )
       UPDATE wallet SET balance = $7, redeemed = redeemed + $6::numeric, updated_at = $11 WHERE id = $5`,
      [
        redemptionId,
        allocations.map((a) => a.lotId),
        allocations.map((a) => a.points.toString()),
        r.orgId,
        r.wallet.id,
        r.points.toString(),
        balanceAfter.toString(),
        r.actor.type,
        r.actor.id,
        r.actor.requestId,
        r.now,
      ],
    );
  }
}
