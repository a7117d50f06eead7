import { Injectable } from '@nestjs/common';
import { Decimal } from '../common/decimal';
import { prepared, Sql } from '../database/db';
import { OPEN_LOTS_ORDER, WALLET_SQL } from './wallet.sql';

export type WalletOwner = { customerId: number } | { groupId: number };

export interface Actor {
  type: 'till' | 'admin' | 'system';
  id: number | null;
  requestId: string;
}

/** Where a sweep through the lapsing lots has got to. */
export interface LapsePosition {
  expiresAt: Date;
  id: number;
}

export interface LockedWallet {
  id: number;
  orgId: number;
  balance: Decimal;
}

export interface OpenLot {
  id: number;
  remaining: Decimal;
  expiresAt: Date | null;
}

export interface LotRow {
  id: number;
  remaining: string;
  expires_at: Date | null;
}

export const toOpenLot = (r: LotRow): OpenLot => ({
  id: r.id,
  remaining: Decimal.of(r.remaining),
  expiresAt: r.expires_at,
});

export interface WalletRow {
  id: number;
  org_id: number;
  balance: string;
}

export const toLockedWallet = (r: WalletRow): LockedWallet => ({
  id: r.id,
  orgId: r.org_id,
  balance: Decimal.of(r.balance),
});

const ownerColumn = (owner: WalletOwner): 'customer_id' | 'group_id' =>
  'customerId' in owner ? 'customer_id' : 'group_id';
const ownerId = (owner: WalletOwner): number =>
  'customerId' in owner ? owner.customerId : owner.groupId;

const LOCK_BY_OWNER = {
  customer_id: prepared('wallet-lock-customer_id', WALLET_SQL.lock('customer_id')),
  group_id: prepared('wallet-lock-group_id', WALLET_SQL.lock('group_id')),
};

/**
 * Wallet rows, their lots and the ledger. Every method that changes a wallet expects the
 * caller's transaction to hold the wallet's row lock (see `lock`).
 */
@Injectable()
export class WalletRepository {
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
    const [row] = await tx.query<WalletRow>(
      `SELECT id, org_id, balance FROM wallet WHERE org_id = $1 AND id = $2 FOR UPDATE`,
      [orgId, walletId],
    );
    return toLockedWallet(row);
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

  /** Locks those of the org's `walletIds` no other transaction holds; returns their ids. */
  async tryLockMany(tx: Sql, orgId: number, walletIds: number[]): Promise<number[]> {
    const rows = await tx.query<{ id: number }>(WALLET_SQL.tryLockMany, [orgId, walletIds]);
    return rows.map((r) => r.id);
  }

  /**
   * Writes off every lot of the (locked) wallets `walletIds` lapsed by `now`, set-based: an
   * EXPIRY ledger row per lot, in spending order with its running balance, lots emptied,
   * wallets reduced. Read in a statement after the locks were granted, so it sees the
   * wallets as their last holder left them. Returns how many lots were written off.
   */
  async expireLapsedOf(
    tx: Sql,
    orgId: number,
    walletIds: number[],
    now: Date,
    actor: Actor,
  ): Promise<number> {
    if (walletIds.length === 0) return 0;
    const [row] = await tx.query<{ lots: number }>(WALLET_SQL.expireLapsedOf, [
      orgId,
      walletIds,
      now,
      actor.type,
      actor.id,
      actor.requestId,
    ]);
    return row.lots;
  }

  /** How long the oldest lapsed lot not yet written off has waited, in seconds (0: none). */
  async expiryLagSeconds(sql: Sql, now: Date): Promise<number> {
    const [row] = await sql.query<{ oldest: Date | null }>(
      // One probe of the lapsing index per org (it leads with the org).
      `SELECT min(x.oldest) AS oldest FROM org o CROSS JOIN LATERAL (
         SELECT min(expires_at) AS oldest FROM lot
          WHERE lot.org_id = o.id AND is_open AND expires_at IS NOT NULL AND expires_at <= $1
       ) x`,
      [now],
    );
    return row.oldest ? Math.max(0, (now.getTime() - row.oldest.getTime()) / 1000) : 0;
  }

  /** Locks the wallet unless another transaction holds it (then undefined). */
  async tryLockById(tx: Sql, orgId: number, walletId: number): Promise<LockedWallet | undefined> {
    const [row] = await tx.query<WalletRow>(
      `SELECT id, org_id, balance FROM wallet WHERE org_id = $1 AND id = $2 FOR UPDATE SKIP LOCKED`,
      [orgId, walletId],
    );
    return row && toLockedWallet(row);
  }

  /** Creates the wallet if needed, then locks it. */
  async lockOrCreate(
    tx: Sql,
    orgId: number,
    programId: number,
    owner: WalletOwner,
  ): Promise<LockedWallet> {
    await tx.query(
      `INSERT INTO wallet (org_id, program_id, ${ownerColumn(owner)}) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [orgId, programId, ownerId(owner)],
    );
    const wallet = await this.lock(tx, orgId, programId, owner);
    if (!wallet) throw new Error('wallet vanished after insert');
    return wallet;
  }

  /** The wallet's lots with points left, in spending order (OPEN_LOTS_ORDER). */
  async openLots(tx: Sql, wallet: LockedWallet): Promise<OpenLot[]> {
    const rows = await tx.query<LotRow>(
      `SELECT id, remaining, expires_at FROM lot
        WHERE org_id = $1 AND wallet_id = $2 AND is_open
        ${OPEN_LOTS_ORDER}`,
      [wallet.orgId, wallet.id],
    );
    return rows.map(toOpenLot);
  }

  /**
   * Writes off lapsed lots: EXPIRY ledger rows, lots emptied, wallet reduced. Returns the
   * wallet's balance afterwards.
   */
  async expireLots(
    tx: Sql,
    wallet: LockedWallet,
    lapsed: OpenLot[],
    now: Date,
    actor: Actor,
  ): Promise<Decimal> {
    if (lapsed.length === 0) return wallet.balance;
    let balance = wallet.balance;
    const balances: string[] = [];
    for (const lot of lapsed) {
      balance = balance.sub(lot.remaining);
      balances.push(balance.toString());
    }
    const total = wallet.balance.sub(balance);
    await tx.query(
      `WITH lapsed AS (
         SELECT * FROM unnest($2::bigint[], $3::numeric[], $4::numeric[]) AS l(lot_id, amount, balance_after)
       ), emptied AS (
         UPDATE lot SET remaining = 0, expired_at = $5 FROM lapsed
          WHERE lot.org_id = $6 AND lot.id = lapsed.lot_id
       ), ledger AS (
         INSERT INTO ledger_entry (org_id, wallet_id, lot_id, kind, amount, balance_after, actor_type, actor_id, request_id)
         SELECT $6, $1, lot_id, 'EXPIRY', -amount, balance_after, $7, $8, $9 FROM lapsed
       )
       UPDATE wallet SET balance = balance - $10, expired = expired + $10, updated_at = $5
        WHERE wallet.org_id = $6 AND wallet.id = $1`,
      [
        wallet.id,
        lapsed.map((l) => l.id),
        lapsed.map((l) => l.remaining.toString()),
        balances,
        now,
        wallet.orgId,
        actor.type,
        actor.id,
        actor.requestId,
        total.toString(),
      ],
    );
    return balance;
  }

  /**
   * Readies the wallet's lots for spending: lapsed lots are written off first (the lazy half
   * of expiry), so the returned balance and live lots count unexpired points only. `lots` are
   * the open lots when the caller already read them under the wallet's lock.
   */
  async sweep(
    tx: Sql,
    wallet: LockedWallet,
    now: Date,
    actor: Actor,
    lots?: OpenLot[],
  ): Promise<{ balance: Decimal; live: OpenLot[]; lapsed: number }> {
    lots ??= await this.openLots(tx, wallet);
    const lapsed = lots.filter((l) => l.expiresAt !== null && l.expiresAt <= now);
    const live = lots.filter((l) => l.expiresAt === null || l.expiresAt > now);
    wallet.balance = await this.expireLots(tx, wallet, lapsed, now, actor);
    return { balance: wallet.balance, live, lapsed: lapsed.length };
  }

  /** Adds a lot and its CREDIT ledger row. Returns the new lot id and balance. */
  async credit(
    tx: Sql,
    wallet: LockedWallet,
    amount: Decimal,
    earnedAt: Date,
    expiresAt: Date | null,
    note: string,
    actor: Actor,
  ): Promise<{ lotId: number; balance: Decimal }> {
    const balance = wallet.balance.add(amount);
    const [row] = await tx.query<{ id: number }>(
      `WITH new_lot AS (
         INSERT INTO lot (org_id, wallet_id, amount, remaining, earned_at, expires_at, note)
         VALUES ($1, $2, $3, $3, $4, $5, $6) RETURNING id
       ), ledger AS (
         INSERT INTO ledger_entry (org_id, wallet_id, lot_id, kind, amount, balance_after, actor_type, actor_id, request_id)
         SELECT $1, $2, id, 'CREDIT', $3, $7, $8, $9, $10 FROM new_lot
       ), w AS (
         UPDATE wallet SET balance = $7, lifetime_points = lifetime_points + $3, updated_at = $4
          WHERE wallet.org_id = $1 AND wallet.id = $2
       )
       SELECT id FROM new_lot`,
      [
        wallet.orgId,
        wallet.id,
        amount.toString(),
        earnedAt,
        expiresAt,
        note,
        balance.toString(),
        actor.type,
        actor.id,
        actor.requestId,
      ],
    );
    return { lotId: row.id, balance };
  }
}
