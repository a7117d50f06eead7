import { Injectable } from '@nestjs/common';
import { Decimal } from '../common/decimal';
import { prepared, Sql } from '../database/db';
import { WALLET_SQL } from './ledger.sql';
import { CREDIT_SQL } from './movements/credit.sql';
import { EXPIRE_SQL } from './movements/expire.sql';
import { REFILL_SQL } from './movements/refill.sql';
import { SPEND_REPORTED_SQL, SPEND_SQL } from './movements/spend.sql';
import {
  Actor,
  LapsePosition,
  LockedWallet,
  LotRow,
  OpenLot,
  toLockedWallet,
  toOpenLot,
  WalletOwner,
  WalletRow,
} from './wallet';

const ownerColumn = (owner: WalletOwner): 'customer_id' | 'group_id' =>
  'customerId' in owner ? 'customer_id' : 'group_id';
const ownerId = (owner: WalletOwner): number =>
  'customerId' in owner ? owner.customerId : owner.groupId;

const LOCK_BY_OWNER = {
  customer_id: prepared('wallet-lock-customer_id', WALLET_SQL.lock('customer_id')),
  group_id: prepared('wallet-lock-group_id', WALLET_SQL.lock('group_id')),
};
const SPEND = prepared('redemption-redeem', SPEND_SQL);
const SPEND_REPORTED = prepared('redemption-redeem-reported', SPEND_REPORTED_SQL);

/** A redemption as the spend movement writes it (its row, beside the points it moves). */
export interface SpendRecord {
  code: string;
  programId: number;
  customerId: number;
  groupId: number | null;
  redeemedValue: Decimal;
  transactionNumber: string;
  externalReferenceNumber: string | null;
  /** As it may be kept: masked. */
  validationCode: string;
  validationType: 'NONE' | 'SKIPPED' | 'SMS' | 'MISSED_CALL';
  redemptionTime: Date;
  notes: string;
  purpose: string;
  customFields: { name: string; value: string }[];
}

/** A redemption's allocation with points not yet given back. */
export interface ReversibleAllocation {
  id: number;
  lotId: number;
  open: Decimal;
  lotExpiresAt: Date | null;
}

/** What a reversal gives back of one allocation: to its lot, or counted as lapsed. */
export interface Restoration {
  allocationId: number;
  lotId: number;
  restored: Decimal;
  expired: Decimal;
}

/** A reversal as the refill movement writes it. */
export interface RefillRecord {
  code: string;
  redemptionId: number;
  requested: Decimal;
  restored: Decimal;
  expired: Decimal;
}

/** A new lot. */
export interface CreditLot {
  points: Decimal;
  earnedAt: Date;
  expiresAt: Date | null;
  note: string;
}

/**
 * Every statement that reads for, locks or writes a balance movement: wallets, lots, ledger
 * rows and allocations. Only the ledger module calls it (LedgerService); a movement is one
 * statement, run on the caller's transaction, which holds the wallet's row lock.
 */
@Injectable()
export class LedgerRepository {
  /** Locks the wallet of this owner and program; undefined when it has never held points. */
  async lock(
    tx: Sql,
    orgId: number,
    programId: number,
    owner: WalletOwner,
  ): Promise<LockedWallet | undefined> {
    const [row] = await tx.query<WalletRow>(LOCK_BY_OWNER[ownerColumn(owner)], [
      orgId,
      programId,
      ownerId(owner),
    ]);
    return row && toLockedWallet(row);
  }

  async lockById(tx: Sql, orgId: number, walletId: number): Promise<LockedWallet> {
    const [row] = await tx.query<WalletRow>(WALLET_SQL.lockById, [orgId, walletId]);
    return toLockedWallet(row);
  }

  /** Creates the wallet if needed, then locks it. */
  async lockOrCreate(
    tx: Sql,
    orgId: number,
    programId: number,
    owner: WalletOwner,
  ): Promise<LockedWallet> {
    await tx.query(WALLET_SQL.create(ownerColumn(owner)), [orgId, programId, ownerId(owner)]);
    const wallet = await this.lock(tx, orgId, programId, owner);
    if (!wallet) throw new Error('wallet vanished after insert');
    return wallet;
  }

  /** Locks those of the org's `walletIds` no other transaction holds; returns their ids. */
  async tryLockMany(tx: Sql, orgId: number, walletIds: number[]): Promise<number[]> {
    const rows = await tx.query<{ id: number }>(WALLET_SQL.tryLockMany, [orgId, walletIds]);
    return rows.map((r) => r.id);
  }

  /** The wallet's lots with points left, in spending order. */
  async openLots(tx: Sql, wallet: LockedWallet): Promise<OpenLot[]> {
    const rows = await tx.query<LotRow>(WALLET_SQL.openLots, [wallet.orgId, wallet.id]);
    return rows.map(toOpenLot);
  }

  /**
   * The org's wallets with lots lapsed by `now` but not yet written off: those of the first
   * `limit` such lots after `after` in lapsing order (keyset, so a sweep never rescans what
   * it has passed), and the position to go on from (undefined at the end).
   */
  async dueForExpiry(
    sql: Sql,
    orgId: number,
    now: Date,
    limit: number,
    after?: LapsePosition,
  ): Promise<{ walletIds: number[]; next: LapsePosition | undefined }> {
    const rows = await sql.query<{ wallet_id: number; id: number; expires_at: Date }>(
      WALLET_SQL.dueForExpiry,
      [orgId, now, after?.expiresAt ?? new Date(0), after?.id ?? 0, limit],
    );
    const last = rows.at(-1);
    return {
      walletIds: [...new Set(rows.map((r) => r.wallet_id))],
      next: rows.length < limit || !last ? undefined : { expiresAt: last.expires_at, id: last.id },
    };
  }

  /** How long the oldest lapsed lot not yet written off has waited, in seconds (0: none). */
  async expiryLagSeconds(sql: Sql, now: Date): Promise<number> {
    const [row] = await sql.query<{ oldest: Date | null }>(WALLET_SQL.oldestLapse, [now]);
    return row.oldest ? Math.max(0, (now.getTime() - row.oldest.getTime()) / 1000) : 0;
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
    }>(WALLET_SQL.openAllocations, [orgId, redemptionId]);
    return rows.map((r) => ({
      id: r.id,
      lotId: r.lot_id,
      open: Decimal.of(r.open),
      lotExpiresAt: r.expires_at,
    }));
  }

  /** The expire movement (EXPIRE_SQL): per wallet, the points and lots written off. */
  async expire(
    tx: Sql,
    orgId: number,
    walletIds: number[],
    now: Date,
    actor: Actor,
  ): Promise<{ walletId: number; points: Decimal; lots: number }[]> {
    const rows = await tx.query<{ wallet_id: number; total: string; lots: number }>(EXPIRE_SQL, [
      orgId,
      walletIds,
      now,
      actor.type,
      actor.id,
      actor.requestId,
    ]);
    return rows.map((r) => ({ walletId: r.wallet_id, points: Decimal.of(r.total), lots: r.lots }));
  }

  /**
   * The spend movement (SPEND_SQL; with its event when `reported`). Returns the redemption's
   * id, or undefined when its external reference number is taken and nothing was written.
   */
  async spend(
    tx: Sql,
    wallet: LockedWallet,
    points: Decimal,
    allocations: { lotId: number; points: Decimal }[],
    balanceAfter: Decimal,
    r: SpendRecord,
    actor: Actor,
    now: Date,
    reported: boolean,
  ): Promise<number | undefined> {
    const [row] = await tx.query<{ id: number }>(reported ? SPEND_REPORTED : SPEND, [
      wallet.orgId,
      r.code,
      wallet.id,
      r.programId,
      r.customerId,
      r.groupId,
      points.toString(),
      r.redeemedValue.toString(),
      r.transactionNumber,
      r.externalReferenceNumber,
      r.validationCode,
      r.validationType,
      r.redemptionTime,
      r.notes,
      r.purpose,
      JSON.stringify(r.customFields),
      actor.id,
      actor.requestId,
      now,
      allocations.map((a) => a.lotId),
      allocations.map((a) => a.points.toString()),
      balanceAfter.toString(),
      actor.type,
    ]);
    return row?.id;
  }

  /**
   * The refill movement (REFILL_SQL): `refills` are the live lots' parts with the balance
   * after each. Returns the reversal's id.
   */
  async refill(
    tx: Sql,
    wallet: LockedWallet,
    r: RefillRecord,
    restorations: Restoration[],
    refills: { lotId: number; points: Decimal; balanceAfter: Decimal }[],
    actor: Actor,
    now: Date,
  ): Promise<number> {
    const [row] = await tx.query<{ id: number }>(REFILL_SQL, [
      wallet.orgId,
      r.code,
      r.redemptionId,
      r.requested.toString(),
      r.restored.toString(),
      r.expired.toString(),
      actor.id,
      actor.requestId,
      now,
      restorations.map((x) => x.allocationId),
      restorations.map((x) => x.restored.add(x.expired).toString()),
      refills.map((x) => x.lotId),
      refills.map((x) => x.points.toString()),
      refills.map((x) => x.balanceAfter.toString()),
      wallet.id,
      actor.type,
    ]);
    return row.id;
  }

  /** The credit movement (CREDIT_SQL). Returns the new lot's id. */
  async credit(
    tx: Sql,
    wallet: LockedWallet,
    lot: CreditLot,
    balanceAfter: Decimal,
    actor: Actor,
  ): Promise<number> {
    const [row] = await tx.query<{ id: number }>(CREDIT_SQL, [
      wallet.orgId,
      wallet.id,
      lot.points.toString(),
      lot.earnedAt,
      lot.expiresAt,
      lot.note,
      balanceAfter.toString(),
      actor.type,
      actor.id,
      actor.requestId,
    ]);
    return row.id;
  }
}
