import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { randomCode, REDEMPTION_CODE_LENGTH } from '../common/codes';
import { Decimal } from '../common/decimal';
import { KeyedQueue, QueueTimeoutError } from '../common/keyed-queue';
import { Outcome, Refusal, refuse, Rollback, saysRetry } from '../common/outcome';
import { RefusalTallyRepository } from './refusal-tally.repository';
import { Env } from '../config/env';
import { CustomerRow } from '../customers/customer.repository';
import { customerIdentity, CustomerIdentity } from '../customers/customer-identity';
import { CustomerIdentifier } from '../customers/identifier';
import { normalizeIdentifier } from '../customers/mobile';
import { CustomersService } from '../customers/customers.service';
import { Db, LockTimeoutError, Tx } from '../database/db';
import { Group } from '../groups/group.repository';
import { GroupsService } from '../groups/groups.service';
import { ItemJournal } from '../idempotency/idempotency.service';
import { OrgConfig } from '../programs/org-config.repository';
import { OrgSettings } from '../programs/org-settings';
import { checkProgramRules } from '../programs/program-rules';
import { Program } from '../programs/program.repository';
import { ValidationCodeService } from '../validation-codes/validation-code.service';
import { LedgerService, LedgerWallet, Spend } from '../ledger/ledger.service';
import { Actor, LockedWallet, WalletOwner } from '../ledger/wallet';
import { CustomFieldRepository } from './custom-field.repository';
import { checkItem, RedeemCommand, RedeemItem, RedeemQuery, SoundItem } from './redeem-item';
import { LotsAndReference, OwnWallet, RedemptionRepository } from './redemption.repository';

/** How a redemption is validated, decided from the query and the org's configuration. */
type Validation =
  { kind: 'NONE' } | { kind: 'SKIPPED' } | { kind: 'SMS'; code: string } | { kind: 'MISSED_CALL' };

/** Everything about one request that is the same for all of its items. */
interface RequestContext {
  principal: Principal;
  requestId: string;
  query: RedeemQuery;
  program: Program | undefined;
  config: OrgConfig;
  customFieldNames: Set<string>;
}

/** An item without a problem of its own, in a request whose program exists. */
interface Checked {
  ok: true;
  item: SoundItem;
  program: Program;
}

/** A refused item; the customer when it was found. */
type Refused = Refusal & { customer?: CustomerRow };

/** An item that passed every check that needs no lock. */
interface Prepared {
  ok: true;
  item: SoundItem;
  points: Decimal;
  customer: CustomerRow;
  program: Program;
  group: Group | undefined;
  validation: Validation;
}

/** What the transaction read with the wallet's lock, when it did. */
interface Locked {
  wallet: LockedWallet | undefined;
  read: LotsAndReference;
}

/** An item that passed every check under its wallet's lock: ready to spend. */
interface Ready {
  ok: true;
  wallet: LedgerWallet;
  spend: Spend;
  /** A webhook endpoint wants the redemption reported. */
  reported: boolean;
  /** The missed call that validates it, to be consumed with it. */
  missedCallId?: number;
}

interface Redeemed {
  redemptionId: number;
  code: string;
  balance: Decimal;
}

/** What became of one item: its outcome, who it was for, and what a redemption did. */
export interface RedeemItemResult {
  outcome: Outcome;
  /** The customer's identifiers, or the item's own where no customer was found. */
  identity: CustomerIdentity;
  /** The points as requested, exactly; undefined when they were not valid. */
  points: Decimal | undefined;
  purpose: string;
  redeemed?: {
    /** The redemption row's id and its public code. */
    id: number;
    code: string;
    value: Decimal;
    balance: Decimal;
    /** The validation code as it may be shown: masked. */
    maskedValidationCode: string;
    billNumber: string;
  };
}

/** An item an earlier owner of the request's Idempotency-Key finished: as it stored it. */
export interface ReplayedItem {
  replayed: unknown;
}

/** Every item's result in request order, and the org's choice of status when all failed. */
export interface RedeemResult {
  items: (RedeemItemResult | ReplayedItem)[];
  failedItemHttpStatus: 200 | 400;
  /** The program the request redeemed in (undefined when it named an unknown one). */
  programId: number | undefined;
}

/** The dry run's verdict with what the till shows: value of the points at the program's ratio. */
export interface RedeemableResult {
  outcome: Outcome;
  /** A validation code was issued (issue_otp). */
  issued: boolean;
  identity: CustomerIdentity;
  points: Decimal | undefined;
  value: Decimal;
  ratio: Decimal;
}

type FindCustomer = (
  orgId: number,
  identifier: CustomerIdentifier,
) => Promise<CustomerRow | undefined>;

const isGroupRedemption = (ctx: RequestContext, item: RedeemItem): boolean =>
  ctx.query.group !== undefined || item.groupRedemption;

const refused = (outcome: Outcome, customer?: CustomerRow): Refused => ({
  ok: false,
  outcome,
  customer,
});
const EARLIEST_REDEMPTION_TIME = Date.UTC(2000, 0, 1);
const LATEST_AHEAD_MS = 24 * 3600_000;

/** A till's clock may be off, but not by years: from 2000-01-01 to a day from now. */
const redemptionTimeInRange = (t: Date, now: Date): boolean =>
  t.getTime() >= EARLIEST_REDEMPTION_TIME && t.getTime() <= now.getTime() + LATEST_AHEAD_MS;
const RETRY_ON_CODE_COLLISION = { retryOnConstraints: ['redemption_org_id_code_key'] };

@Injectable()
export class RedemptionService {
  private readonly lockTimeoutMs: number;
  private readonly walletTurns = new KeyedQueue();
  private readonly logger = new Logger('Redemptions');

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly settings: OrgSettings,
    private readonly customers: CustomersService,
    private readonly groups: GroupsService,
    private readonly ledger: LedgerService,
    private readonly redemptions: RedemptionRepository,
    private readonly customFields: CustomFieldRepository,
    private readonly validationCodes: ValidationCodeService,
    private readonly refusals: RefusalTallyRepository,
    config: ConfigService<Env, true>,
  ) {
    this.lockTimeoutMs = config.get('LOCK_TIMEOUT_MS', { infer: true });
  }

  /**
   * Redeems each item in its own transaction, in request order. Under an Idempotency-Key,
   * each finished item is recorded in `journal` (inside its transaction when it redeemed),
   * and items an earlier owner of the key finished come back as they were stored.
   */
  async redeem(cmd: RedeemCommand, journal: ItemJournal | undefined): Promise<RedeemResult> {
    const ctx = await this.context(cmd.principal, cmd.requestId, cmd.query, cmd.items);
    const items: RedeemResult['items'] = [];
    for (const [index, item] of cmd.items.entries()) {
      const stored = journal?.done(index);
      items.push(
        stored !== undefined
          ? { replayed: stored }
          : await this.redeemItem(ctx, item, index, journal),
      );
    }
    await this.tallyRefusals(ctx, items);
    return {
      items,
      failedItemHttpStatus: ctx.config.failed_item_http_status,
      programId: ctx.program?.id,
    };
  }

  /** The org's refused items since `from`, per outcome and program (the console's figures). */
  refusalsSince(
    orgId: number,
    from: Date,
  ): Promise<{ outcome: string; program_id: number; count: number }[]> {
    return this.refusals.since(this.db, orgId, from);
  }

  /**
   * Counts this request's refused items for the console (one statement, only when some
   * were refused). A statistic: when it cannot be written the redemption still answers.
   */
  private async tallyRefusals(ctx: RequestContext, items: RedeemResult['items']): Promise<void> {
    const counts = new Map<string, number>();
    for (const i of items) {
      if ('outcome' in i && i.outcome !== 'REDEEMED')
        counts.set(i.outcome, (counts.get(i.outcome) ?? 0) + 1);
    }
    if (counts.size === 0) return;
    const hour = new Date(Math.floor(this.clock.now().getTime() / 3600_000) * 3600_000);
    try {
      await this.refusals.add(this.db, ctx.principal.orgId, hour, ctx.program?.id ?? 0, counts);
    } catch (err) {
      this.logger.warn(
        `refusal tally not written: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  private async context(
    principal: Principal,
    requestId: string,
    query: RedeemQuery,
    items: RedeemItem[],
  ): Promise<RequestContext> {
    const [config, program, customFieldNames] = await Promise.all([
      this.settings.config(principal.orgId),
      query.programId === 'invalid'
        ? Promise.resolve(undefined)
        : this.settings.program(principal.orgId, query.programId),
      items.some((i) => Array.isArray(i.customFields) && i.customFields.length > 0)
        ? this.customFields.redemptionFieldNames(this.db, principal.orgId)
        : Promise.resolve(new Set<string>()),
    ]);
    return { principal, requestId, query, program, config, customFieldNames };
  }

  private async redeemItem(
    ctx: RequestContext,
    item: RedeemItem,
    index: number,
    journal: ItemJournal | undefined,
  ): Promise<RedeemItemResult> {
    const prechecked = this.precheck(ctx, item);
    let result: RedeemItemResult;
    if (!prechecked.ok) {
      result = this.failure(item, prechecked);
    } else {
      const checked = await this.withoutEmptyGroupFlag(ctx, prechecked);
      try {
        result = isGroupRedemption(ctx, checked.item)
          ? await this.redeemFromGroup(ctx, checked, index, journal)
          : await this.redeemOwn(ctx, checked, index, journal);
      } catch (err) {
        if (err instanceof Rollback) result = this.failure(item, err.refusal);
        else if (err instanceof LockTimeoutError || err instanceof QueueTimeoutError) {
          // The lock may have timed out in the statement that also reads the customer.
          const customer = await this.customers.findByIdentifier(
            ctx.principal.orgId,
            checked.item.customer,
          );
          result = this.failure(item, refused('WALLET_LOCKED', customer));
        } else throw err;
      }
    }
    if (journal && journal.done(index) === undefined && !saysRetry(result.outcome)) {
      await journal.record(this.db, index, result);
    }
    return result;
  }

  /**
   * A redemption from the customer's own wallet: one transaction whose first statement reads
   * the customer and locks their wallet together, then the checks, then the writes.
   */
  private async redeemOwn(
    ctx: RequestContext,
    checked: Checked,
    index: number,
    journal: ItemJournal | undefined,
  ): Promise<RedeemItemResult> {
    const { item, program } = checked;
    // Requests for one wallet take turns here, first come first served, before they take a
    // connection: under contention PostgreSQL's row lock lets a newcomer overtake a waiter
    // it has just woken, so a busy wallet would otherwise starve some requests. The row
    // lock still decides, across instances too; the two waits share LOCK_TIMEOUT_MS.
    const key = `${ctx.principal.orgId}:${program.id}:${item.customer.type}:${item.customer.value}`;
    // The wallet is locked for as few round trips as possible: its reads go with BEGIN in
    // one, its write with COMMIT in another (docs/performance.md).
    return this.walletTurns.run(key, this.lockTimeoutMs, (waitedMs) =>
      this.db.transaction(
        async (tx) => {
          let own: OwnWallet | undefined;
          const prepared = await this.prepare(ctx, checked, false, async (orgId, identifier) => {
            own = await this.redemptions.lockOwnWallet(
              tx,
              orgId,
              identifier,
              program.id,
              checked.item.externalReferenceNumber,
            );
            return own?.customer;
          });
          if (!prepared.ok) return this.failure(item, prepared);
          return this.finish(tx, ctx, prepared, index, journal, own);
        },
        {
          ...RETRY_ON_CODE_COLLISION,
          lockTimeoutMs: Math.max(1, this.lockTimeoutMs - waitedMs),
        },
      ),
    );
  }

  /** A group redemption: the group is resolved from the customer, then its wallet locked. */
  private async redeemFromGroup(
    ctx: RequestContext,
    checked: Checked,
    index: number,
    journal: ItemJournal | undefined,
  ): Promise<RedeemItemResult> {
    const prepared = await this.prepare(ctx, checked);
    if (!prepared.ok) return this.failure(checked.item, prepared);
    return this.db.transaction(
      (tx) => this.finish(tx, ctx, prepared, index, journal),
      RETRY_ON_CODE_COLLISION,
    );
  }

  /**
   * The locked part of a redemption and, when it succeeds, its record under the key. A
   * refusal under the lock commits what it wrote (lapsed lots, a counted wrong code).
   */
  private async finish(
    tx: Tx,
    ctx: RequestContext,
    prepared: Prepared,
    index: number,
    journal: ItemJournal | undefined,
    locked?: Locked,
  ): Promise<RedeemItemResult> {
    const ready = await this.checkLocked(tx, ctx, prepared, locked);
    if (!ready.ok) return this.failure(prepared.item, refused(ready.outcome, prepared.customer));
    // Without a journal entry to write after it, the redemption's statement can carry the
    // COMMIT (see write).
    const redeemed = await this.write(tx, ctx, prepared, ready, journal === undefined);
    const success = this.success(prepared, redeemed);
    // Recorded in the redemption's own transaction: a retry never redeems twice.
    await journal?.record(tx, index, success);
    return success;
  }

  /**
   * A body's `group_redemption: true` for a customer in no group redeems from their own
   * wallet (a shop client sends the flag on every redemption), through the own-wallet path:
   * in turn with the wallet's other requests, and with the customer read under its lock.
   */
  private async withoutEmptyGroupFlag(ctx: RequestContext, checked: Checked): Promise<Checked> {
    if (ctx.query.group || !checked.item.groupRedemption) return checked;
    const orgId = ctx.principal.orgId;
    const customer = await this.customers.findByIdentifier(orgId, checked.item.customer);
    if (!customer || (await this.groups.groupsOf(orgId, customer.id)).length > 0) return checked;
    return { ...checked, item: { ...checked.item, groupRedemption: false } };
  }

  /** The checks that need neither the database nor the customer. */
  private precheck(ctx: RequestContext, item: RedeemItem): Checked | Refused {
    const sound = checkItem(item);
    if (typeof sound === 'string') return refused(sound);
    if (
      sound.redemptionTime instanceof Date &&
      !redemptionTimeInRange(sound.redemptionTime, this.clock.now())
    )
      return refused('REDEMPTION_TIME_OUT_OF_RANGE');
    if (!ctx.program) return refused('UNKNOWN_PROGRAM');
    // Mobiles are looked up (and queued for their wallet) in the org's one form.
    const customer = normalizeIdentifier(sound.customer, ctx.config);
    return { ok: true, item: { ...sound, customer }, program: ctx.program };
  }

  /**
   * Every check after `precheck` and before the wallet's, in the order the item codes are
   * reported. `find` reads the customer (by default outside any transaction).
   */
  private async prepare(
    ctx: RequestContext,
    { item, program }: Checked,
    awaitingCode = false,
    find: FindCustomer = (orgId, identifier) => this.customers.findByIdentifier(orgId, identifier),
  ): Promise<Prepared | Refused> {
    const orgId = ctx.principal.orgId;
    const customer = await find(orgId, item.customer);
    if (!customer) return refused('CUSTOMER_NOT_FOUND');
    const fail = (outcome: Outcome): Refused => refused(outcome, customer);
    if (customer.fraud_status !== 'NONE') return fail('FRAUD_CUSTOMER');
    if (item.customFields.some((f) => !ctx.customFieldNames.has(f.name)))
      return fail('UNKNOWN_CUSTOM_FIELD');

    const isGroup = isGroupRedemption(ctx, item);
    if (ctx.config.enable_group_programs_redemption && !isGroup)
      return fail('GROUP_REDEMPTION_REQUIRED');
    let group: Group | undefined;
    if (isGroup) {
      // The body's flag names the customer's one group (1632 for several).
      const theirs = ctx.query.group ? undefined : await this.groups.groupsOf(orgId, customer.id);
      group = ctx.query.group
        ? await this.groups.resolve(orgId, ctx.query.group)
        : theirs?.length === 1
          ? theirs[0]
          : undefined;
      if (!group) return fail('GROUP_NOT_FOUND');
      if (!group.redemptionEnabled) return fail('GROUP_REDEMPTION_DISABLED');
      if (!(await this.groups.isMember(orgId, group, customer.id))) return fail('GROUP_NOT_FOUND');
    }

    const points = item.points.points;
    const rule = checkProgramRules(points, program);
    if (rule) return fail(rule);

    // A dry run that asks for a code to be issued cannot present one yet.
    const validation: Validation | Refusal = awaitingCode
      ? { kind: 'NONE' }
      : this.validationFor(ctx, item, customer);
    if ('ok' in validation) return fail(validation.outcome);
    return { ok: true, item, points, customer, program, group, validation };
  }

  private validationFor(
    ctx: RequestContext,
    item: RedeemItem,
    customer: CustomerRow,
  ): Validation | Refusal {
    if (ctx.query.skipValidation) {
      return ctx.config.require_validation ? refuse('VALIDATION_REQUIRED') : { kind: 'SKIPPED' };
    }
    if (ctx.query.validationType === 'MISSED_CALL') {
      if (!ctx.config.missed_call_enabled) return refuse('MISSED_CALL_DISABLED');
      return customer.mobile ? { kind: 'MISSED_CALL' } : refuse('NO_MISSED_CALL');
    }
    if (item.validationCode !== null) return { kind: 'SMS', code: item.validationCode };
    return ctx.config.otp_required ? refuse('VALIDATION_CODE_INVALID') : { kind: 'NONE' };
  }

  /**
   * The checks of one redemption under its wallet's lock: lock the wallet (unless it was
   * locked with the customer), then check against the locked row, then validate (code or
   * missed call, locked after the wallet). A refusal keeps what the checks wrote (lapsed
   * lots written off, a wrong code counted); the caller decides whether it commits.
   */
  private async checkLocked(
    tx: Tx,
    ctx: RequestContext,
    p: Prepared,
    locked?: Locked,
  ): Promise<Ready | Refusal> {
    const now = this.clock.now();
    const orgId = ctx.principal.orgId;
    const owner: WalletOwner = p.group ? { groupId: p.group.id } : { customerId: p.customer.id };
    // Locked already when it was read with the customer.
    const wallet = locked ? locked.wallet : await this.ledger.lock(tx, orgId, p.program.id, owner);
    const ern = p.item.externalReferenceNumber;
    // Read after the lock was granted, so a redemption that held it is seen here.
    const { lots, referenceUsed, reported } =
      locked?.read ?? (await this.redemptions.lotsAndReference(tx, wallet?.id ?? null, orgId, ern));
    if (referenceUsed) return refuse('DUPLICATE_EXTERNAL_REFERENCE');
    if (!wallet) return refuse('INSUFFICIENT_POINTS');

    const ledgerWallet = await this.ledger.open(tx, wallet, this.at(ctx, now), lots);
    const spend = ledgerWallet.planSpend(p.points);
    if (!spend) return refuse('INSUFFICIENT_POINTS');

    if (p.validation.kind === 'SMS') {
      const verdict = await this.validationCodes.check(
        tx,
        this.codeCheck(ctx, p, p.validation.code, now),
      );
      if (verdict === 'LOCKED') return refuse('VALIDATION_CODE_LOCKED');
      if (verdict === 'WRONG') return refuse('VALIDATION_CODE_INVALID');
    } else if (p.validation.kind === 'MISSED_CALL') {
      const since = new Date(now.getTime() - ctx.config.otp_validity_minutes * 60_000);
      const missedCallId = await this.validationCodes.lockMissedCall(tx, {
        orgId,
        mobile: p.customer.mobile ?? '',
        since,
        now,
      });
      if (!missedCallId) return refuse('NO_MISSED_CALL');
      return { ok: true, wallet: ledgerWallet, spend, reported, missedCallId };
    }
    return { ok: true, wallet: ledgerWallet, spend, reported };
  }

  /** Who a till's redemption is by, and when, as the ledger records it. */
  private at(ctx: RequestContext, now: Date): { now: Date; actor: Actor } {
    return { now, actor: { type: 'till', id: ctx.principal.userId, requestId: ctx.requestId } };
  }

  /**
   * Spends what `checkLocked` planned and consumes the code or call that validated it.
   * Throws Rollback when the external reference number turned out taken (nothing may stay).
   */
  private async write(
    tx: Tx,
    ctx: RequestContext,
    p: Prepared,
    ready: Ready,
    lastWrite: boolean,
  ): Promise<Redeemed> {
    const now = this.clock.now();
    const orgId = ctx.principal.orgId;
    const code = randomCode(REDEMPTION_CODE_LENGTH);
    // The redemption's statement is the transaction's last and carries its COMMIT, when
    // nothing is to be written after it (a journal entry, a used code or call) and nothing
    // was written before it (lapsed lots): then a taken reference, which writes nothing,
    // still leaves nothing behind.
    if (
      lastWrite &&
      p.validation.kind !== 'SMS' &&
      !ready.missedCallId &&
      ready.wallet.lapsed === 0
    ) {
      tx.commitWithNext();
    }
    const redemptionId = await ready.wallet.spend(
      ready.spend,
      {
        code,
        programId: p.program.id,
        customerId: p.customer.id,
        groupId: p.group?.id ?? null,
        redeemedValue: p.points.mul(p.program.pointsCurrencyRatio),
        transactionNumber: p.item.transactionNumber,
        externalReferenceNumber: p.item.externalReferenceNumber,
        // Only the length is kept: codes are never stored in clear, even used ones.
        validationCode: p.validation.kind === 'SMS' ? '*'.repeat(p.validation.code.length) : '',
        validationType: p.validation.kind,
        redemptionTime: p.item.redemptionTime instanceof Date ? p.item.redemptionTime : now,
        notes: p.item.notes,
        purpose: p.item.purpose,
        customFields: p.item.customFields,
      },
      ready.reported,
    );
    if (redemptionId === undefined)
      throw new Rollback(refused('DUPLICATE_EXTERNAL_REFERENCE', p.customer));
    if (p.validation.kind === 'SMS' || ready.missedCallId) {
      const used = { orgId, customerId: p.customer.id, programId: p.program.id, redemptionId };
      const by = ready.missedCallId
        ? { missedCallId: ready.missedCallId }
        : { code: true as const };
      await this.validationCodes.consume(tx, used, by, now);
    }
    return { redemptionId, code, balance: ready.wallet.balance };
  }

  /**
   * The redeem checks, through the same code, in a transaction that is always rolled back;
   * with `issueOtp` a code is issued when they pass.
   */
  async isRedeemable(
    principal: Principal,
    requestId: string,
    query: RedeemQuery,
    item: RedeemItem,
    issueOtp: boolean,
  ): Promise<RedeemableResult> {
    const ctx = await this.context(principal, requestId, query, [item]);
    const checked = this.precheck(ctx, item);
    const prepared = checked.ok ? await this.prepare(ctx, checked, issueOtp) : checked;
    let outcome: Outcome;
    let customer: CustomerRow | undefined;
    if (!prepared.ok) {
      outcome = prepared.outcome;
      customer = prepared.customer;
    } else {
      customer = prepared.customer;
      outcome = await this.dryRun(ctx, prepared);
      if (outcome === 'REDEEMABLE' && issueOtp) {
        const issued = await this.validationCodes.issue(
          principal.orgId,
          prepared.customer,
          prepared.program,
          ctx.config,
          prepared.points,
        );
        if (!issued.ok) outcome = 'VALIDATION_CODE_ISSUE_FAILED';
      }
    }
    const ratio = ctx.program?.pointsCurrencyRatio ?? Decimal.ZERO;
    const points = item.points.ok ? item.points.points : undefined;
    return {
      outcome,
      issued: issueOtp && outcome === 'REDEEMABLE',
      identity: customerIdentity(customer, item.customerEcho),
      points,
      value: outcome === 'REDEEMABLE' && points ? points.mul(ratio) : Decimal.ZERO,
      ratio,
    };
  }

  /** The checks under the wallet's lock, in a transaction that is always rolled back. */
  private async dryRun(ctx: RequestContext, p: Prepared): Promise<Outcome> {
    let outcome: Outcome;
    try {
      await this.db.transaction(async (tx) => {
        const ready = await this.checkLocked(tx, ctx, p);
        throw new Rollback(ready.ok ? refuse('REDEEMABLE') : ready);
      });
      outcome = 'REDEEMABLE';
    } catch (err) {
      if (err instanceof Rollback) outcome = err.refusal.outcome;
      else if (err instanceof LockTimeoutError) return 'WALLET_LOCKED';
      else throw err;
    }
    // The one write a dry run keeps: a wrong code counts as an attempt, so codes cannot be
    // guessed through isredeemable without running into the lockout.
    if (
      (outcome === 'VALIDATION_CODE_INVALID' || outcome === 'VALIDATION_CODE_LOCKED') &&
      p.validation.kind === 'SMS'
    ) {
      const check = this.codeCheck(ctx, p, p.validation.code, this.clock.now());
      await this.db.transaction((tx) => this.validationCodes.check(tx, check));
    }
    return outcome;
  }

  private codeCheck(ctx: RequestContext, p: Prepared, code: string, now: Date) {
    return {
      orgId: ctx.principal.orgId,
      customerId: p.customer.id,
      programId: p.program.id,
      code,
      points: p.points,
      maxAttempts: ctx.config.otp_max_attempts,
      now,
    };
  }

  private success(p: Prepared, r: Redeemed): RedeemItemResult {
    return {
      outcome: 'REDEEMED',
      identity: customerIdentity(p.customer, p.item.customerEcho),
      points: p.points,
      purpose: p.item.purpose,
      redeemed: {
        id: r.redemptionId,
        code: r.code,
        value: p.points.mul(p.program.pointsCurrencyRatio),
        balance: r.balance,
        // Masked: the response (and its replay copy under an Idempotency-Key) is kept.
        maskedValidationCode:
          p.validation.kind === 'SMS' ? '*'.repeat(p.validation.code.length) : '',
        billNumber: p.item.transactionNumber,
      },
    };
  }

  private failure(item: RedeemItem, { outcome, customer }: Refused): RedeemItemResult {
    return {
      outcome,
      identity: customerIdentity(customer, item.customerEcho),
      points: item.points.ok ? item.points.points : undefined,
      purpose: item.purpose,
    };
  }
}
