import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { randomCode } from '../common/codes';
import { Decimal } from '../common/decimal';
import { KeyedQueue, QueueTimeoutError } from '../common/keyed-queue';
import { Outcome } from '../common/outcome';
import { RefusalTallyRepository } from './refusal-tally.repository';
import { Env } from '../config/env';
import { CustomerRepository, CustomerRow } from '../customers/customer.repository';
import { customerIdentity, CustomerIdentity } from '../customers/customer-identity';
import { CustomerIdentifier } from '../customers/identifier';
import { normalizeIdentifier } from '../customers/mobile';
import { Db, LockTimeoutError, Tx } from '../database/db';
import { Group, GroupRepository } from '../groups/group.repository';
import { ItemJournal } from '../idempotency/idempotency.service';
import { OrgConfig } from '../programs/org-config.repository';
import { OrgSettings } from '../programs/org-settings';
import { checkProgramRules } from '../programs/program-rules';
import { Program } from '../programs/program.repository';
import { MissedCallRepository } from '../validation-codes/missed-call.repository';
import { OtpSecret } from '../validation-codes/otp-secret';
import {
  CodeCheck,
  ValidationCodeRepository,
} from '../validation-codes/validation-code.repository';
import { ValidationCodeService } from '../validation-codes/validation-code.service';
import { allocate } from '../wallets/allocate';
import { Actor, LockedWallet, WalletOwner, WalletRepository } from '../wallets/wallet.repository';
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
  item: SoundItem;
  program: Program;
}

/** An item that failed a check before the wallet's; the customer when it was found. */
interface Refused {
  item: SoundItem;
  outcome: Outcome;
  customer?: CustomerRow;
}

/** An item that passed every check that needs no lock. */
interface Prepared {
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

class Rollback extends Error {
  constructor(
    readonly outcome: Outcome,
    readonly customer?: CustomerRow,
  ) {
    super(outcome);
  }
}

const REDEMPTION_CODE_LENGTH = 6;
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
    private readonly customers: CustomerRepository,
    private readonly groups: GroupRepository,
    private readonly wallets: WalletRepository,
    private readonly redemptions: RedemptionRepository,
    private readonly customFields: CustomFieldRepository,
    private readonly codes: ValidationCodeRepository,
    private readonly missedCalls: MissedCallRepository,
    private readonly otpSecret: OtpSecret,
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
    if (typeof prechecked === 'string') {
      result = this.failure(item, undefined, prechecked);
    } else {
      const checked = await this.withoutEmptyGroupFlag(ctx, prechecked);
      try {
        result = isGroupRedemption(ctx, checked.item)
          ? await this.redeemFromGroup(ctx, checked, index, journal)
          : await this.redeemOwn(ctx, checked, index, journal);
      } catch (err) {
        if (err instanceof Rollback) result = this.failure(item, err.customer, err.outcome);
        else if (err instanceof LockTimeoutError || err instanceof QueueTimeoutError) {
          // The lock may have timed out in the statement that also reads the customer.
          const orgId = ctx.principal.orgId;
          const customer = await this.customers.findByIdentifier(
            this.db,
            orgId,
            checked.item.customer,
          );
          result = this.failure(item, customer, 'WALLET_LOCKED');
        } else throw err;
      }
    }
    // A lock timeout says "retry": the retry must run the item, not replay the refusal.
    if (journal && journal.done(index) === undefined && result.outcome !== 'WALLET_LOCKED') {
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
          if ('outcome' in prepared) return this.refusal(prepared);
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
    if ('outcome' in prepared) return this.refusal(prepared);
    return this.db.transaction(
      (tx) => this.finish(tx, ctx, prepared, index, journal),
      RETRY_ON_CODE_COLLISION,
    );
  }

  /** The locked part of a redemption and, when it succeeds, its record under the key. */
  private async finish(
    tx: Tx,
    ctx: RequestContext,
    prepared: Prepared,
    index: number,
    journal: ItemJournal | undefined,
    locked?: Locked,
  ): Promise<RedeemItemResult> {
    // Without a journal entry to write after it, the redemption's statement can carry the
    // COMMIT (see execute).
    const redeemed = await this.execute(tx, ctx, prepared, false, locked, journal === undefined);
    if (typeof redeemed === 'string') {
      return this.failure(prepared.item, prepared.customer, redeemed);
    }
    const success = this.success(prepared, redeemed);
    // Recorded in the redemption's own transaction: a retry never redeems twice.
    await journal?.record(tx, index, success);
    return success;
  }

  private refusal(r: Refused): RedeemItemResult {
    return this.failure(r.item, r.customer, r.outcome);
  }

  /**
   * A body's `group_redemption: true` for a customer in no group redeems from their own
   * wallet (a shop client sends the flag on every redemption), through the own-wallet path:
   * in turn with the wallet's other requests, and with the customer read under its lock.
   */
  private async withoutEmptyGroupFlag(ctx: RequestContext, checked: Checked): Promise<Checked> {
    if (ctx.query.group || !checked.item.groupRedemption) return checked;
    const orgId = ctx.principal.orgId;
    const customer = await this.customers.findByIdentifier(this.db, orgId, checked.item.customer);
    if (!customer || (await this.groups.groupsOf(this.db, orgId, customer.id)).length > 0)
      return checked;
    return { ...checked, item: { ...checked.item, groupRedemption: false } };
  }

  /** The checks that need neither the database nor the customer. */
  private precheck(ctx: RequestContext, item: RedeemItem): Checked | Outcome {
    const sound = checkItem(item);
    if (typeof sound === 'string') return sound;
    if (
      sound.redemptionTime instanceof Date &&
      !redemptionTimeInRange(sound.redemptionTime, this.clock.now())
    )
      return 'REDEMPTION_TIME_OUT_OF_RANGE';
    if (!ctx.program) return 'UNKNOWN_PROGRAM';
    // Mobiles are looked up (and queued for their wallet) in the org's one form.
    const customer = normalizeIdentifier(sound.customer, ctx.config);
    return { item: { ...sound, customer }, program: ctx.program };
  }

  /**
   * Every check after `precheck` and before the wallet's, in the order the item codes are
   * reported. `find` reads the customer (by default outside any transaction).
   */
  private async prepare(
    ctx: RequestContext,
    { item, program }: Checked,
    awaitingCode = false,
    find: FindCustomer = (orgId, identifier) =>
      this.customers.findByIdentifier(this.db, orgId, identifier),
  ): Promise<Prepared | Refused> {
    const orgId = ctx.principal.orgId;
    const customer = await find(orgId, item.customer);
    if (!customer) return { item, outcome: 'CUSTOMER_NOT_FOUND' };
    const fail = (outcome: Outcome): Refused => ({ item, outcome, customer });
    if (customer.fraud_status !== 'NONE') return fail('FRAUD_CUSTOMER');
    if (item.customFields.some((f) => !ctx.customFieldNames.has(f.name)))
      return fail('UNKNOWN_CUSTOM_FIELD');

    const isGroup = isGroupRedemption(ctx, item);
    if (ctx.config.enable_group_programs_redemption && !isGroup)
      return fail('GROUP_REDEMPTION_REQUIRED');
    let group: Group | undefined;
    if (isGroup) {
      // The body's flag names the customer's one group (1632 for several).
      const theirs = ctx.query.group
        ? undefined
        : await this.groups.groupsOf(this.db, orgId, customer.id);
      group = ctx.query.group
        ? await this.groups.resolve(this.db, orgId, ctx.query.group, ctx.config)
        : theirs?.length === 1
          ? theirs[0]
          : undefined;
      if (!group) return fail('GROUP_NOT_FOUND');
      if (!group.redemptionEnabled) return fail('GROUP_REDEMPTION_DISABLED');
      if (!(await this.groups.isMember(this.db, orgId, group, customer.id)))
        return fail('GROUP_NOT_FOUND');
    }

    const points = item.points.points;
    const rule = checkProgramRules(points, program);
    if (rule) return fail(rule);

    // A dry run that asks for a code to be issued cannot present one yet.
    const validation: Validation | { outcome: Outcome } = awaitingCode
      ? { kind: 'NONE' }
      : this.validationFor(ctx, item, customer);
    if ('outcome' in validation) return fail(validation.outcome);
    return { item, points, customer, program, group, validation };
  }

  private validationFor(
    ctx: RequestContext,
    item: RedeemItem,
    customer: CustomerRow,
  ): Validation | { outcome: Outcome } {
    if (ctx.query.skipValidation) {
      return ctx.config.require_validation
        ? { outcome: 'VALIDATION_REQUIRED' }
        : { kind: 'SKIPPED' };
    }
    if (ctx.query.validationType === 'MISSED_CALL') {
      if (!ctx.config.missed_call_enabled) return { outcome: 'MISSED_CALL_DISABLED' };
      return customer.mobile ? { kind: 'MISSED_CALL' } : { outcome: 'NO_MISSED_CALL' };
    }
    if (item.validationCode !== null) return { kind: 'SMS', code: item.validationCode };
    return ctx.config.otp_required ? { outcome: 'VALIDATION_CODE_INVALID' } : { kind: 'NONE' };
  }

  /**
   * The transaction of one redemption: lock the wallet, then check against the locked row,
   * then validate (code or missed call, locked after the wallet), then write. Returns an
   * outcome for failures that keep their writes (expired lots, counted wrong codes) and
   * throws Rollback for those that must leave nothing behind.
   */
  private async execute(
    tx: Tx,
    ctx: RequestContext,
    p: Prepared,
    dryRun = false,
    locked?: Locked,
    lastWrite = false,
  ): Promise<Redeemed | Outcome> {
    const now = this.clock.now();
    const orgId = ctx.principal.orgId;
    const actor: Actor & { id: number } = {
      type: 'till',
      id: ctx.principal.userId,
      requestId: ctx.requestId,
    };
    const owner: WalletOwner = p.group ? { groupId: p.group.id } : { customerId: p.customer.id };
    // Locked already when it was read with the customer.
    const wallet = locked ? locked.wallet : await this.wallets.lock(tx, orgId, p.program.id, owner);
    const ern = p.item.externalReferenceNumber;
    // Read after the lock was granted, so a redemption that held it is seen here.
    const { lots, referenceUsed } =
      locked?.read ?? (await this.redemptions.lotsAndReference(tx, wallet?.id ?? null, orgId, ern));
    if (referenceUsed) return 'DUPLICATE_EXTERNAL_REFERENCE';
    if (!wallet) return 'INSUFFICIENT_POINTS';

    const { live, lapsed } = await this.wallets.sweep(tx, wallet, now, actor, lots);
    if (p.points.gt(wallet.balance)) return 'INSUFFICIENT_POINTS';
    const allocations = allocate(live, p.points);
    if (!allocations) throw new Error(`wallet ${wallet.id}: balance and lots disagree`);

    let missedCallId: number | undefined;
    if (p.validation.kind === 'SMS') {
      const verdict = await this.codes.check(tx, this.codeCheck(ctx, p, p.validation.code, now));
      if (verdict === 'LOCKED') return 'VALIDATION_CODE_LOCKED';
      if (verdict === 'WRONG') return 'VALIDATION_CODE_INVALID';
    } else if (p.validation.kind === 'MISSED_CALL') {
      const since = new Date(now.getTime() - ctx.config.otp_validity_minutes * 60_000);
      missedCallId = await this.missedCalls.lockOpen(
        tx,
        orgId,
        p.customer.mobile ?? '',
        since,
        now,
      );
      if (!missedCallId) return 'NO_MISSED_CALL';
    }

    if (dryRun) return 'REDEEMABLE';
    const balance = wallet.balance.sub(p.points);
    const record = {
      orgId,
      code: randomCode(REDEMPTION_CODE_LENGTH),
      wallet,
      programId: p.program.id,
      customerId: p.customer.id,
      groupId: p.group?.id ?? null,
      points: p.points,
      redeemedValue: p.points.mul(p.program.pointsCurrencyRatio),
      transactionNumber: p.item.transactionNumber,
      externalReferenceNumber: ern,
      // Only the length is kept: codes are never stored in clear, even used ones.
      validationCode: p.validation.kind === 'SMS' ? '*'.repeat(p.validation.code.length) : '',
      validationType: p.validation.kind,
      redemptionTime: p.item.redemptionTime instanceof Date ? p.item.redemptionTime : now,
      notes: p.item.notes,
      purpose: p.item.purpose,
      customFields: p.item.customFields,
      actor,
      now,
    };
    // The redemption's statement is the transaction's last and carries its COMMIT, when
    // nothing is to be written after it (a journal entry, a used code or call) and nothing
    // was written before it (lapsed lots): then a taken reference, which writes nothing,
    // still leaves nothing behind.
    if (lastWrite && p.validation.kind !== 'SMS' && !missedCallId && lapsed === 0) {
      tx.commitWithNext();
    }
    const redemptionId = await this.redemptions.redeem(tx, record, allocations, balance);
    if (redemptionId === undefined) throw new Rollback('DUPLICATE_EXTERNAL_REFERENCE', p.customer);
    if (p.validation.kind === 'SMS') {
      await this.codes.consumeAll(tx, orgId, p.customer.id, p.program.id, redemptionId, now);
    } else if (missedCallId) {
      await this.missedCalls.consume(tx, orgId, missedCallId, redemptionId, now);
    }
    return { redemptionId, code: record.code, balance };
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
    const prepared =
      typeof checked === 'string' ? checked : await this.prepare(ctx, checked, issueOtp);
    let outcome: Outcome;
    let customer: CustomerRow | undefined;
    if (typeof prepared === 'string') {
      outcome = prepared;
    } else if ('outcome' in prepared) {
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

  private async dryRun(ctx: RequestContext, p: Prepared): Promise<Outcome> {
    let outcome: Outcome;
    try {
      await this.db.transaction(async (tx) => {
        const result = await this.execute(tx, ctx, p, true);
        throw new Rollback(typeof result === 'string' ? result : 'REDEEMABLE');
      });
      outcome = 'REDEEMABLE';
    } catch (err) {
      if (err instanceof Rollback) outcome = err.outcome;
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
      await this.db.transaction((tx) => this.codes.check(tx, check));
    }
    return outcome;
  }

  private codeCheck(ctx: RequestContext, p: Prepared, code: string, now: Date): CodeCheck {
    return {
      orgId: ctx.principal.orgId,
      customerId: p.customer.id,
      programId: p.program.id,
      codeHash: this.otpSecret.hash(p.customer.id, code),
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

  private failure(
    item: RedeemItem,
    customer: CustomerRow | undefined,
    outcome: Outcome,
  ): RedeemItemResult {
    return {
      outcome,
      identity: customerIdentity(customer, item.customerEcho),
      points: item.points.ok ? item.points.points : undefined,
      purpose: item.purpose,
    };
  }
}
