import { Injectable } from '@nestjs/common';
import { Decimal } from '../common/decimal';
import { Sql } from '../database/db';
import { allocate, Allocation } from './allocate';
import { CreditLot, LedgerRepository, SpendRecord } from './ledger.repository';
import { planExpiry } from './plan-expiry';
import { planRefill } from './plan-refill';
import { Actor, LockedWallet, OpenLot, WalletOwner } from './wallet';

/** When a movement happens and who makes it, as its ledger rows record. */
export interface MovementContext {
  now: Date;
  actor: Actor;
}

/** Which wallet to lock: one by id, or an owner's in a program (created on first credit). */
export type WalletTarget =
  | { orgId: number; walletId: number }
  | { orgId: number; programId: number; owner: WalletOwner; create: true };

/** Where a spend's points come from, decided under the wallet's lock. */
export interface Spend {
  points: Decimal;
  allocations: Allocation[];
}

export interface Refilled {
  reversalId: number;
  restored: Decimal;
  expired: Decimal;
  balance: Decimal;
}

/**
 * A wallet locked in the caller's transaction and readied for movements: its lapsed lots
 * are written off already, so `balance` and `live` count unexpired points only. Each
 * movement is one statement; the transaction may send it with its COMMIT
 * (`Tx.commitWithNext`) when nothing follows.
 */
export class LedgerWallet {
  private current: Decimal;

  constructor(
    private readonly repo: LedgerRepository,
    private readonly tx: Sql,
    readonly wallet: LockedWallet,
    /** The open lots still live, in spending order. */
    readonly live: OpenLot[],
    /** How many lots this opening wrote off. */
    readonly lapsed: number,
    private readonly at: MovementContext,
  ) {
    this.current = wallet.balance;
  }

  get id(): number {
    return this.wallet.id;
  }

  get balance(): Decimal {
    return this.current;
  }

  /** Where `points` would come from; undefined when the wallet holds fewer. */
  planSpend(points: Decimal): Spend | undefined {
    if (points.gt(this.current)) return undefined;
    const allocations = allocate(this.live, points);
    if (!allocations) throw new Error(`wallet ${this.wallet.id}: balance and lots disagree`);
    return { points, allocations };
  }

  /**
   * Spends as planned, recording the redemption (and its event when `reported`: a webhook
   * endpoint wants it). Returns its id, or undefined when its external reference number is
   * taken (then nothing was written).
   */
  async spend(spend: Spend, record: SpendRecord, reported: boolean): Promise<number | undefined> {
    const balance = this.current.sub(spend.points);
    const id = await this.repo.spend(
      this.tx,
      this.wallet,
      spend.points,
      spend.allocations,
      balance,
      record,
      this.at.actor,
      this.at.now,
      reported,
    );
    if (id !== undefined) this.current = balance;
    return id;
  }

  /**
   * Gives `amount` of the redemption back to the lots it came from, the latest-consumed
   * first; what had lapsed since is counted, not restored. Records the reversal `code`.
   * The caller holds the redemption's row lock and checked that `amount` is left.
   */
  async refill(redemptionId: number, amount: Decimal, code: string): Promise<Refilled> {
    const plan = planRefill(
      await this.repo.openAllocations(this.tx, this.wallet.orgId, redemptionId),
      amount,
      this.at.now,
    );
    let balance = this.current;
    const refills = plan.restorations
      .filter((x) => x.restored.isPositive())
      .map((x) => ({
        lotId: x.lotId,
        points: x.restored,
        balanceAfter: (balance = balance.add(x.restored)),
      }));
    const reversalId = await this.repo.refill(
      this.tx,
      this.wallet,
      { code, redemptionId, requested: amount, restored: plan.restored, expired: plan.expired },
      plan.restorations,
      refills,
      this.at.actor,
      this.at.now,
    );
    this.current = balance;
    return { reversalId, restored: plan.restored, expired: plan.expired, balance };
  }

  /** Adds a lot. Returns its id and the balance after it. */
  async credit(lot: CreditLot): Promise<{ lotId: number; balance: Decimal }> {
    const balance = this.current.add(lot.points);
    const lotId = await this.repo.credit(this.tx, this.wallet, lot, balance, this.at.actor);
    this.current = balance;
    return { lotId, balance };
  }
}

/**
 * The one place a balance moves. A feature decides whether and how much; the ledger decides
 * how: which lots, the allocations, the ledger rows and the wallet's totals, each movement
 * (spend, refill, credit, expire) one statement under the wallet's row lock.
 */
@Injectable()
export class LedgerService {
  constructor(private readonly repo: LedgerRepository) {}

  /** Locks the owner's wallet in the program; undefined when it has never held points. */
  lock(
    tx: Sql,
    orgId: number,
    programId: number,
    owner: WalletOwner,
  ): Promise<LockedWallet | undefined> {
    return this.repo.lock(tx, orgId, programId, owner);
  }

  /**
   * Readies a wallet the transaction has locked: its lapsed lots are written off first (the
   * lazy half of expiry). `lots` are its open lots when the caller read them under the lock.
   */
  async open(
    tx: Sql,
    wallet: LockedWallet,
    at: MovementContext,
    lots?: OpenLot[],
  ): Promise<LedgerWallet> {
    const { lapsed, live } = planExpiry(lots ?? (await this.repo.openLots(tx, wallet)), at.now);
    let balance = wallet.balance;
    if (lapsed.length > 0) {
      const [expired] = await this.repo.expire(tx, wallet.orgId, [wallet.id], at.now, at.actor);
      balance = balance.sub(expired?.points ?? Decimal.ZERO);
    }
    return new LedgerWallet(this.repo, tx, { ...wallet, balance }, live, lapsed.length, at);
  }

  /** Locks the target wallet (creating it if asked), readies it, and runs `work` on it. */
  async withLockedWallet<T>(
    tx: Sql,
    target: WalletTarget,
    at: MovementContext,
    work: (wallet: LedgerWallet) => Promise<T>,
  ): Promise<T> {
    const wallet =
      'walletId' in target
        ? await this.repo.lockById(tx, target.orgId, target.walletId)
        : await this.repo.lockOrCreate(tx, target.orgId, target.programId, target.owner);
    return work(await this.open(tx, wallet, at));
  }
}
