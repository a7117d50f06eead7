import { Injectable } from '@nestjs/common';
import { Decimal } from '../common/decimal';
import { prepared, Sql } from '../database/db';
import { Allocation } from '../wallets/allocate';
import { REDEMPTION_SQL } from './redemption.sql';
import { Actor, LockedWallet, LotRow, OpenLot, toOpenLot } from '../wallets/wallet.repository';

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

const LOTS_AND_REFERENCE = prepared(
  'redemption-lots-and-reference',
  REDEMPTION_SQL.lotsAndReference,
);
const REDEEM = prepared('redemption-redeem', REDEMPTION_SQL.redeem);

@Injectable()
export class RedemptionRepository {
  /**
   * The locked wallet's open lots (none without a wallet), and whether `ern` was used in the
   * org (false when null).
   */
  async lotsAndReference(
    tx: Sql,
    walletId: string | null,
    orgId: number,
    ern: string | null,
  ): Promise<{ lots: OpenLot[]; referenceUsed: boolean }> {
    // LEFT JOIN: with no open lots, the one row has null lot columns.
    const rows = await tx.query<{ reference_used: boolean } & LotRow>(LOTS_AND_REFERENCE, [
      walletId,
      orgId,
      ern,
    ]);
    const lots: OpenLot[] = [];
    for (const r of rows) if ((r.id as string | null) !== null) lots.push(toOpenLot(r));
    return { lots, referenceUsed: rows[0].reference_used };
  }

  /**
   * Writes the whole redemption (see REDEMPTION_SQL.redeem). Returns its id, or undefined
   * when the external reference number is taken and nothing was written.
   */
  async redeem(
    tx: Sql,
    r: NewRedemption,
    allocations: Allocation[],
    balanceAfter: Decimal,
  ): Promise<string | undefined> {
    const [row] = await tx.query<{ id: string }>(REDEEM, [
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
      allocations.map((a) => a.lotId),
      allocations.map((a) => a.points.toString()),
      balanceAfter.toString(),
      r.actor.type,
    ]);
    return row?.id;
  }
}
