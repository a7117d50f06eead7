import { Injectable } from '@nestjs/common';
import { Decimal } from '../common/decimal';
import { CUSTOMER_SQL, CUSTOMER_WHERE } from '../customers/customer.sql';
import { CustomerRow } from '../customers/customer.repository';
import { CustomerIdentifier } from '../customers/identifier';
import { prepared, Prepared, Sql, Tx } from '../database/db';
import { Allocation } from '../wallets/allocate';
import { REDEMPTION_SQL } from './redemption.sql';
import {
  Actor,
  LockedWallet,
  LotRow,
  OpenLot,
  toLockedWallet,
  toOpenLot,
} from '../wallets/wallet.repository';

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

/** Per kind of identifier: the customer with their wallet locked, then its lots. */
const LOCK_OWN_WALLET = Object.fromEntries(
  Object.entries(CUSTOMER_WHERE).map(([type, where]) => [
    type,
    {
      lock: prepared(`customer-by-${type}-locking-wallet`, CUSTOMER_SQL.findLockingWallet(where)),
      lots: prepared(
        `redemption-lots-and-reference-of-${type}`,
        REDEMPTION_SQL.lotsAndReferenceOf(where),
      ),
    },
  ]),
) as Record<CustomerIdentifier['type'], { lock: Prepared; lots: Prepared }>;

/** What a redemption reads under its wallet's lock. */
export interface LotsAndReference {
  lots: OpenLot[];
  referenceUsed: boolean;
}

/** The customer, their wallet locked (undefined when they have none), and what it holds. */
export interface OwnWallet {
  customer: CustomerRow;
  wallet: LockedWallet | undefined;
  read: LotsAndReference;
}

type LotsAndReferenceRow = { reference_used: boolean } & LotRow;
type LockRow = CustomerRow & { wallet_id: number | null; wallet_balance: string | null };

/** LEFT JOIN: with no open lots, the one row has null lot columns. */
function toLotsAndReference(rows: LotsAndReferenceRow[]): LotsAndReference {
  const lots: OpenLot[] = [];
  for (const r of rows) if ((r.id as number | null) !== null) lots.push(toOpenLot(r));
  return { lots, referenceUsed: rows[0].reference_used };
}

@Injectable()
export class RedemptionRepository {
  /**
   * The locked wallet's open lots (none without a wallet), and whether `ern` was used in the
   * org (false when null).
   */
  async lotsAndReference(
    tx: Sql,
    walletId: number | null,
    orgId: number,
    ern: string | null,
  ): Promise<LotsAndReference> {
    return toLotsAndReference(
      await tx.query<LotsAndReferenceRow>(LOTS_AND_REFERENCE, [walletId, orgId, ern]),
    );
  }

  /**
   * The customer found by `identifier`, their wallet in `programId` locked, then (once the
   * lock is granted, so as its last holder left them) its open lots and whether `ern` is
   * taken, both in one round trip with BEGIN (Tx.batch). Undefined when there is no such customer.
   */
  async lockOwnWallet(
    tx: Tx,
    orgId: number,
    identifier: CustomerIdentifier,
    programId: number,
    ern: string | null,
  ): Promise<OwnWallet | undefined> {
    const statements = LOCK_OWN_WALLET[identifier.type];
    const lock = { statement: statements.lock, params: [orgId, identifier.value, programId] };
    const lots = { statement: statements.lots, params: [orgId, identifier.value, programId, ern] };
    const [[row], lotRows] = (await tx.batch([lock, lots])) as unknown as [
      LockRow[],
      LotsAndReferenceRow[],
    ];
    if (!row) return undefined;
    const { wallet_id, wallet_balance, ...customer } = row;
    const wallet =
      wallet_id === null || wallet_balance === null
        ? undefined
        : toLockedWallet({ id: wallet_id, org_id: customer.org_id, balance: wallet_balance });
    return {
      customer,
      wallet,
      read: toLotsAndReference(lotRows),
    };
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
  ): Promise<number | undefined> {
    const [row] = await tx.query<{ id: number }>(REDEEM, [
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
