import { Injectable } from '@nestjs/common';
import { CUSTOMER_SQL, CUSTOMER_WHERE } from '../customers/customer.sql';
import { CustomerRow } from '../customers/customer.repository';
import { CustomerIdentifier } from '../customers/identifier';
import { prepared, Prepared, Sql, Tx } from '../database/db';
import { LockedWallet, LotRow, OpenLot, toLockedWallet, toOpenLot } from '../ledger/wallet';
import { REDEMPTION_SQL } from './redemption.sql';

const LOTS_AND_REFERENCE = prepared(
  'redemption-lots-and-reference',
  REDEMPTION_SQL.lotsAndReference,
);

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
  /** A webhook endpoint wants the redemption reported (its spend writes the event). */
  reported: boolean;
}

/** The customer, their wallet locked (undefined when they have none), and what it holds. */
export interface OwnWallet {
  customer: CustomerRow;
  wallet: LockedWallet | undefined;
  read: LotsAndReference;
}

type LotsAndReferenceRow = { reference_used: boolean; reported: boolean } & LotRow;
type LockRow = CustomerRow & { wallet_id: number | null; wallet_balance: string | null };

/** LEFT JOIN: with no open lots, the one row has null lot columns. */
function toLotsAndReference(rows: LotsAndReferenceRow[]): LotsAndReference {
  const lots: OpenLot[] = [];
  for (const r of rows) if ((r.id as number | null) !== null) lots.push(toOpenLot(r));
  return { lots, referenceUsed: rows[0].reference_used, reported: rows[0].reported };
}

/** What a redemption reads under its wallet's lock; it writes through the ledger. */
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
}
