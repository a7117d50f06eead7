import { Decimal } from '../common/decimal';

/** Whose wallet: a customer's own, or a group's shared one. */
export type WalletOwner = { customerId: number } | { groupId: number };

/** Who moves a balance, as the ledger rows record it. */
export interface Actor {
  type: 'till' | 'admin' | 'system';
  id: number | null;
  requestId: string;
}

/** A wallet whose row lock the caller's transaction holds, with its balance as read then. */
export interface LockedWallet {
  id: number;
  orgId: number;
  balance: Decimal;
}

/** A lot with points left. */
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

/** Where a sweep through the lapsing lots has got to. */
export interface LapsePosition {
  expiresAt: Date;
  id: number;
}
