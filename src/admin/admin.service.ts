import { Injectable } from '@nestjs/common';
import { passwordVerifiers } from '../auth/password';
import { AuthService } from '../auth/auth.service';
import { Principal } from '../auth/principal';
import { AuditRepository } from '../audit/audit.repository';
import { AdminCall, auditEntry } from './admin-call';
import { AccessGroupRow, TillRow, UserRepository } from '../auth/user.repository';
import { Clock } from '../common/clock';
import { Decimal } from '../common/decimal';
import { ConflictError, InvalidRequestError, NotFoundError } from '../common/errors';
import { CustomerRepository, CustomerRow } from '../customers/customer.repository';
import { pickIdentifier } from '../customers/identifier';
import { normalizeIdentifier, normalizeMobile } from '../customers/mobile';
import { WalletSummaryRepository, WalletSummaryRow } from '../customers/wallet-summary.repository';
import { Db, Sql } from '../database/db';
import { constraintName, PgError, sqlState } from '../database/pg-errors';
import { GroupRepository, GroupWithMembers } from '../groups/group.repository';
import { ItemJournal } from '../idempotency/idempotency.service';
import { OrgConfig, OrgConfigRepository } from '../programs/org-config.repository';
import { OrgSettings } from '../programs/org-settings';
import { Program, ProgramRepository } from '../programs/program.repository';
import { CustomFieldRepository, CustomFieldRow } from '../redemptions/custom-field.repository';
import { MissedCallRepository } from '../validation-codes/missed-call.repository';
import {
  NotificationRepository,
  NotificationView,
} from '../validation-codes/notification.repository';
import { LedgerCheckRepository } from '../wallets/ledger-check.repository';
import { Actor, WalletOwner, WalletRepository } from '../wallets/wallet.repository';
import {
  CreditDto,
  CustomerCreateDto,
  CustomerPatchDto,
  GroupCreateDto,
  GroupPatchDto,
  ProgramCreateDto,
  ProgramPatchDto,
  TillCreateDto,
  TillPatchDto,
} from './dto/admin.dto';

/** A unique violation named in `messages` becomes a ConflictError with its message. */
const conflict = (err: unknown, messages: Record<string, string>): never => {
  if (sqlState(err) === PgError.UNIQUE_VIOLATION) {
    throw new ConflictError(messages[constraintName(err) ?? ''] ?? 'Already exists');
  }
  throw err;
};

const PROGRAM_NAME_TAKEN = { program_org_id_name_key: 'A program with this name exists' };

/** A credit checked and resolved, ready to be applied (once, under an Idempotency-Key). */
export interface CreditPlan {
  orgId: number;
  owner: WalletOwner;
  program: Program;
  points: Decimal;
  earnedAt: Date;
  expiresAt: Date | null;
  note: string;
  actor: Actor;
  call: AdminCall;
  now: Date;
}

/** What a credit did: exact decimals as text, times as ISO text (it is replayed as stored). */
export interface CreditResult {
  lotId: number;
  walletId: number;
  programId: number;
  points: string;
  earnedAt: string;
  expiresAt: string | null;
  balance: string;
}

export interface TillCreated {
  id: number;
  username: string;
  access_group: string;
  active: boolean;
  created_at: Date;
}

export interface CustomerWithWallets {
  customer: CustomerRow;
  wallets: WalletSummaryRow[];
}

export interface LedgerCheck {
  ok: boolean;
  wallets_checked: number;
  redemptions_checked: number;
  /** Every failure found; `failures` lists the first MAX_LISTED_FAILURES. */
  failure_count: number;
  failures: { wallet_id?: number; redemption_id?: string; problem: string }[];
}

/** Wallets (then redemptions) the ledger check reads per page. */
const LEDGER_CHECK_PAGE = 1000;
const MAX_LISTED_FAILURES = 1000;

/**
 * The admin API's use cases: an org's operators configure it and stand in for the earning
 * side. They return domain values and throw domain errors; the admin edge shows them.
 */
@Injectable()
export class AdminService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly orgConfigs: OrgConfigRepository,
    private readonly programs: ProgramRepository,
    private readonly settings: OrgSettings,
    private readonly users: UserRepository,
    private readonly customers: CustomerRepository,
    private readonly summaries: WalletSummaryRepository,
    private readonly wallets: WalletRepository,
    private readonly groups: GroupRepository,
    private readonly missedCalls: MissedCallRepository,
    private readonly notifications: NotificationRepository,
    private readonly customFields: CustomFieldRepository,
    private readonly ledger: LedgerCheckRepository,
    private readonly auditLog: AuditRepository,
    private readonly auth: AuthService,
  ) {}

  /** Appends what an admin write did to the audit log, in the write's own transaction. */
  private audit(
    tx: Sql,
    call: AdminCall,
    action: string,
    target: [type: string, id: string | number],
    before: unknown,
    after: unknown,
  ): Promise<void> {
    return this.auditLog.append(tx, auditEntry(call, action, target, before, after));
  }

  getConfig(principal: Principal): Promise<OrgConfig> {
    return this.orgConfigs.get(this.db, principal.orgId);
  }

  patchConfig(principal: AdminCall, patch: Partial<OrgConfig>): Promise<OrgConfig> {
    return this.db
      .transaction(async (tx) => {
        const before = await this.orgConfigs.get(tx, principal.orgId);
        const config = await this.orgConfigs.update(tx, principal.orgId, patch);
        await this.audit(
          tx,
          principal,
          'config.update',
          ['config', principal.orgId],
          before,
          config,
        );
        // Out of demo mode, the readable copies demo mode kept of delivered codes go.
        if (patch.demo_mode === false) await this.notifications.dropKeptTexts(tx, principal.orgId);
        return config;
      })
      .finally(() => this.settings.invalidate(principal.orgId));
  }

  listPrograms(principal: Principal): Promise<Program[]> {
    return this.programs.list(this.db, principal.orgId);
  }

  async createProgram(principal: AdminCall, dto: ProgramCreateDto): Promise<Program> {
    return this.db
      .transaction(async (tx) => {
        if (dto.is_default) await this.programs.clearDefault(tx, principal.orgId);
        const program = await this.programs.insert(tx, principal.orgId, {
          name: dto.name,
          is_default: dto.is_default ?? false,
          min_redeem: dto.min_redeem ?? '0',
          max_redeem: dto.max_redeem ?? null,
          redeem_multiple_of: dto.redeem_multiple_of ?? null,
          decimal_places: dto.decimal_places ?? 3,
          points_currency_ratio: dto.points_currency_ratio ?? '1',
        });
        await this.audit(tx, principal, 'program.create', ['program', program.id], null, program);
        return program;
      })
      .finally(() => this.settings.invalidate(principal.orgId))
      .catch((err: unknown) => conflict(err, PROGRAM_NAME_TAKEN));
  }

  async patchProgram(principal: AdminCall, id: number, dto: ProgramPatchDto): Promise<Program> {
    return this.db
      .transaction(async (tx) => {
        const existing = await this.programs.find(tx, principal.orgId, id);
        if (!existing) throw new NotFoundError(`Program ${id} not found`);
        if (dto.is_default === true) await this.programs.clearDefault(tx, principal.orgId);
        if (dto.is_default === false && existing.isDefault)
          throw new InvalidRequestError('Make another program the default instead', [
            { field: 'is_default', message: 'an org always has one default program' },
          ]);
        const program = (await this.programs.update(tx, principal.orgId, id, dto))!;
        await this.audit(tx, principal, 'program.update', ['program', id], existing, program);
        return program;
      })
      .finally(() => this.settings.invalidate(principal.orgId))
      .catch((err: unknown) => {
        if (sqlState(err) === PgError.CHECK_VIOLATION)
          throw new InvalidRequestError('max_redeem must be at least min_redeem', [
            { field: 'max_redeem', message: 'must be >= min_redeem' },
          ]);
        return conflict(err, PROGRAM_NAME_TAKEN);
      });
  }

  listAccessGroups(principal: Principal): Promise<AccessGroupRow[]> {
    return this.users.listAccessGroups(this.db, principal.orgId);
  }

  listTills(principal: Principal): Promise<TillRow[]> {
    return this.users.listTills(this.db, principal.orgId);
  }

  async createTill(principal: AdminCall, dto: TillCreateDto): Promise<TillCreated> {
    const group = await this.users.findAccessGroup(this.db, principal.orgId, dto.access_group);
    if (!group) throw new NotFoundError(`Access group ${String(dto.access_group)} not found`);
    const verifiers = await passwordVerifiers(dto.password);
    return this.db
      .transaction(async (tx) => {
        const row = await this.users.insertUser(tx, principal.orgId, {
          username: dto.username,
          verifiers,
          accessGroupId: group.id,
        });
        const till: TillCreated = {
          id: row.id,
          username: dto.username,
          access_group: group.name,
          active: true,
          created_at: row.created_at,
        };
        // The password never reaches the log, not even as its verifiers.
        await this.audit(tx, principal, 'till.create', ['till', row.id], null, till);
        return till;
      })
      .catch((err: unknown) => conflict(err, { app_user_username_key: 'Username is taken' }));
  }

  /** Deactivates or reactivates a till (or admin), or moves it to another access group. */
  async patchTill(principal: AdminCall, id: number, dto: TillPatchDto): Promise<TillRow> {
    const orgId = principal.orgId;
    const group =
      dto.access_group === undefined
        ? undefined
        : await this.users.findAccessGroup(this.db, orgId, dto.access_group);
    if (dto.access_group !== undefined && !group)
      throw new NotFoundError(`Access group ${String(dto.access_group)} not found`);
    if (id === principal.userId && (dto.active === false || group?.admin === 'none'))
      throw new InvalidRequestError('You cannot lock yourself out', [
        {
          field: dto.active === false ? 'active' : 'access_group',
          message: 'not for your own account',
        },
      ]);
    const till = await this.db.transaction(async (tx) => {
      const before = await this.users.findTill(tx, orgId, id);
      if (!before) throw new NotFoundError(`Till ${id} not found`);
      await this.users.updateTill(tx, orgId, id, { active: dto.active, accessGroupId: group?.id });
      const after = (await this.users.findTill(tx, orgId, id))!;
      await this.audit(tx, principal, 'till.update', ['till', id], before, after);
      return after;
    });
    // Its sign-ins cached on this instance end now; on others within AUTH_CACHE_TTL_MS.
    this.auth.forgetCachedCredentials(id);
    return till;
  }

  async createCustomer(principal: AdminCall, dto: CustomerCreateDto): Promise<CustomerRow> {
    if (
      !dto.mobile &&
      !dto.email &&
      !dto.external_id &&
      !dto.card_number &&
      !dto.card_external_id
    ) {
      throw new InvalidRequestError('A customer needs at least one identifier', [
        {
          field: 'mobile',
          message: 'one of mobile, email, external_id, card_number, card_external_id is required',
        },
      ]);
    }
    const mobile = dto.mobile && (await this.mobileOf(principal.orgId, dto.mobile));
    return this.db
      .transaction(async (tx) => {
        const customer = await this.customers.insert(tx, principal.orgId, { ...dto, mobile });
        await this.audit(
          tx,
          principal,
          'customer.create',
          ['customer', customer.id],
          null,
          customer,
        );
        return customer;
      })
      .catch((err: unknown) =>
        conflict(err, {
          customer_mobile: 'A customer with this mobile exists',
          customer_email: 'A customer with this email exists',
          customer_external_id: 'A customer with this external_id exists',
          customer_card_number: 'A customer with this card_number exists',
          customer_card_external_id: 'A customer with this card_external_id exists',
        }),
      );
  }

  /** A mobile number as typed, in the org's one form. */
  private async mobileOf(orgId: number, typed: string): Promise<string> {
    return normalizeMobile(typed, await this.settings.config(orgId));
  }

  private async customerOr404(sql: Sql, orgId: number, id: number): Promise<CustomerRow> {
    const customer = await this.customers.findById(sql, orgId, id);
    if (!customer) throw new NotFoundError(`Customer ${id} not found`);
    return customer;
  }

  async getCustomer(principal: Principal, id: number): Promise<CustomerWithWallets> {
    const customer = await this.customerOr404(this.db, principal.orgId, id);
    const wallets = await this.summaries.forCustomer(
      this.db,
      principal.orgId,
      customer.id,
      this.clock.now(),
    );
    return { customer, wallets };
  }

  async patchCustomer(principal: AdminCall, id: number, dto: CustomerPatchDto) {
    return this.db.transaction(async (tx) => {
      const before = await this.customerOr404(tx, principal.orgId, id);
      await this.customers.update(tx, principal.orgId, id, dto);
      const after = await this.customerOr404(tx, principal.orgId, id);
      await this.audit(tx, principal, 'customer.update', ['customer', id], before, after);
      return after;
    });
  }

  /**
   * Checks a credit and resolves what it names (customer or group, program); throws when it
   * cannot be carried out. Nothing is written.
   */
  async planCredit(principal: AdminCall, dto: CreditDto): Promise<CreditPlan> {
    const requestId = principal.requestId;
    const targets = [dto.customer, dto.customer_id, dto.group_id].filter((t) => t !== undefined);
    if (targets.length !== 1) {
      throw new InvalidRequestError('Give exactly one of customer, customer_id, group_id', [
        { field: 'customer', message: 'exactly one of customer, customer_id, group_id' },
      ]);
    }
    const now = this.clock.now();
    const expiresAt = dto.expires_at ? new Date(dto.expires_at) : null;
    const earnedAt = dto.earned_at ? new Date(dto.earned_at) : now;
    if (expiresAt && expiresAt <= now) {
      throw new InvalidRequestError('expires_at must be in the future', [
        { field: 'expires_at', message: 'must be later than now' },
      ]);
    }
    const orgId = principal.orgId;
    let owner: WalletOwner;
    if (dto.group_id !== undefined) {
      if (!(await this.groups.exists(this.db, orgId, dto.group_id)))
        throw new NotFoundError(`Group ${dto.group_id} not found`);
      owner = { groupId: dto.group_id };
    } else if (dto.customer_id !== undefined) {
      owner = { customerId: (await this.customerOr404(this.db, orgId, dto.customer_id)).id };
    } else {
      const identifier = pickIdentifier(dto.customer as Record<string, unknown>);
      if (typeof identifier === 'string')
        throw new InvalidRequestError('customer needs an identifier', [
          { field: 'customer', message: 'no usable identifier' },
        ]);
      const rules = await this.settings.config(orgId);
      const customer = await this.customers.findByIdentifier(
        this.db,
        orgId,
        normalizeIdentifier(identifier, rules),
      );
      if (!customer) throw new NotFoundError('Customer not found');
      owner = { customerId: customer.id };
    }
    const program = await this.programs.find(this.db, orgId, dto.program_id);
    if (!program) throw new NotFoundError(`Program ${dto.program_id ?? '(default)'} not found`);
    return {
      orgId,
      owner,
      program,
      points: Decimal.of(dto.points),
      earnedAt,
      expiresAt,
      note: dto.note ?? '',
      actor: { type: 'admin', id: principal.userId, requestId },
      call: principal,
      now,
    };
  }

  /** Adds the lot (creating the wallet on first credit); under a key, once. */
  async credit(plan: CreditPlan, journal: ItemJournal | undefined): Promise<CreditResult> {
    const done = journal?.done(0);
    if (done) return done as CreditResult;
    return this.db.transaction(async (tx) => {
      const wallet = await this.wallets.lockOrCreate(tx, plan.orgId, plan.program.id, plan.owner);
      await this.wallets.sweep(tx, wallet, plan.now, plan.actor);
      const { lotId, balance } = await this.wallets.credit(
        tx,
        wallet,
        plan.points,
        plan.earnedAt,
        plan.expiresAt,
        plan.note,
        plan.actor,
      );
      const result: CreditResult = {
        lotId,
        walletId: wallet.id,
        programId: plan.program.id,
        points: plan.points.toString(),
        earnedAt: plan.earnedAt.toISOString(),
        expiresAt: plan.expiresAt?.toISOString() ?? null,
        balance: balance.toString(),
      };
      await this.audit(
        tx,
        plan.call,
        'points.credit',
        'groupId' in plan.owner
          ? ['group', plan.owner.groupId]
          : ['customer', plan.owner.customerId],
        null,
        // Ids as the wire writes them, as earlier entries hold them.
        { ...result, lotId: String(lotId), walletId: String(wallet.id), note: plan.note },
      );
      await journal?.record(tx, 0, result);
      return result;
    });
  }

  async createGroup(principal: AdminCall, dto: GroupCreateDto): Promise<GroupWithMembers> {
    const orgId = principal.orgId;
    return this.db
      .transaction(async (tx) => {
        await this.customerOr404(tx, orgId, dto.primary_customer_id);
        const id = await this.groups.insert(tx, orgId, {
          externalId: dto.external_id,
          primaryCustomerId: dto.primary_customer_id,
          redemptionEnabled: dto.redemption_enabled ?? true,
        });
        const members = [...new Set([dto.primary_customer_id, ...(dto.member_ids ?? [])])];
        for (const m of members) {
          await this.customerOr404(tx, orgId, m);
          await this.groups.addMember(tx, orgId, id, m);
        }
        const group = await this.groupOr404(tx, orgId, id);
        await this.audit(tx, principal, 'group.create', ['group', id], null, group);
        return group;
      })
      .catch((err: unknown) =>
        conflict(err, {
          customer_group_org_id_external_id_key: 'A group with this external_id exists',
        }),
      );
  }

  async patchGroup(principal: AdminCall, id: number, dto: GroupPatchDto) {
    return this.db.transaction(async (tx) => {
      const before = await this.groupOr404(tx, principal.orgId, id);
      if (dto.redemption_enabled !== undefined) {
        await this.groups.setRedemptionEnabled(tx, principal.orgId, id, dto.redemption_enabled);
      }
      const after = await this.groupOr404(tx, principal.orgId, id);
      await this.audit(tx, principal, 'group.update', ['group', id], before, after);
      return after;
    });
  }

  async addGroupMember(principal: AdminCall, groupId: number, customerId: number) {
    const orgId = principal.orgId;
    return this.db.transaction(async (tx) => {
      const before = await this.groupOr404(tx, orgId, groupId);
      await this.customerOr404(tx, orgId, customerId);
      await this.groups.addMember(tx, orgId, groupId, customerId);
      const after = await this.groupOr404(tx, orgId, groupId);
      await this.audit(tx, principal, 'group.member_add', ['group', groupId], before, after);
      return after;
    });
  }

  listGroups(principal: Principal): Promise<GroupWithMembers[]> {
    return this.groups.listWithMembers(this.db, principal.orgId, 100);
  }

  getGroup(principal: Principal, id: number): Promise<GroupWithMembers> {
    return this.groupOr404(this.db, principal.orgId, id);
  }

  private async groupOr404(sql: Sql, orgId: number, id: number): Promise<GroupWithMembers> {
    const group = await this.groups.findWithMembers(sql, orgId, id);
    if (!group) throw new NotFoundError(`Group ${id} not found`);
    return group;
  }

  async recordMissedCall(principal: AdminCall, typed: string) {
    const at = this.clock.now();
    const mobile = await this.mobileOf(principal.orgId, typed);
    return this.db.transaction(async (tx) => {
      const id = await this.missedCalls.record(tx, principal.orgId, mobile, at);
      const call = { id, mobile, called_at: at };
      await this.audit(tx, principal, 'missed_call.record', ['missed_call', id], null, {
        ...call,
        id: String(id),
      });
      return call;
    });
  }

  listMissedCalls(principal: Principal) {
    return this.missedCalls.recent(this.db, principal.orgId, 100);
  }

  /** The outbox; texts carry the code masked unless the org is in demo mode. */
  listNotifications(principal: Principal, customerId?: number): Promise<NotificationView[]> {
    return this.notifications.listForAdmin(this.db, principal.orgId, customerId);
  }

  listCustomFields(principal: Principal): Promise<CustomFieldRow[]> {
    return this.customFields.list(this.db, principal.orgId);
  }

  async createCustomField(principal: AdminCall, name: string): Promise<CustomFieldRow> {
    return this.db
      .transaction(async (tx) => {
        const field = await this.customFields.insertRedemptionField(tx, principal.orgId, name);
        await this.audit(
          tx,
          principal,
          'custom_field.create',
          ['custom_field', field.id],
          null,
          field,
        );
        return field;
      })
      .catch((err: unknown) =>
        conflict(err, { custom_field_org_id_scope_name_key: 'This custom field exists' }),
      );
  }

  /**
   * Every wallet of the org: balance = sum of its ledger = sum of its open lots, never
   * negative; every redemption's allocations add up to what it took, net of reversals.
   * Streams: one keyset page of LEDGER_CHECK_PAGE wallets (then redemptions) at a time, each
   * its own short read, so memory stays bounded and no redemption waits for the check;
   * failures are listed up to MAX_LISTED_FAILURES and all counted.
   */
  async verifyLedger(principal: Principal): Promise<LedgerCheck> {
    const orgId = principal.orgId;
    const failures: LedgerCheck['failures'] = [];
    let failureCount = 0;
    const fail = (failure: LedgerCheck['failures'][number]): void => {
      failureCount++;
      if (failures.length < MAX_LISTED_FAILURES) failures.push(failure);
    };
    let walletsChecked = 0;
    for (let after = 0; ;) {
      const page = await this.ledger.walletTotals(this.db, orgId, after, LEDGER_CHECK_PAGE);
      for (const w of page) {
        const balance = Decimal.of(w.balance);
        if (balance.isNegative())
          fail({ wallet_id: w.id, problem: `negative balance ${w.balance}` });
        if (!balance.eq(Decimal.of(w.ledger)))
          fail({
            wallet_id: w.id,
            problem: `balance ${w.balance} but ledger sums to ${w.ledger}`,
          });
        if (w.ledger_orphans > 0)
          fail({
            wallet_id: w.id,
            problem: `${w.ledger_orphans} ledger entries name a redemption that does not exist`,
          });
        if (!balance.eq(Decimal.of(w.lots)))
          fail({
            wallet_id: w.id,
            problem: `balance ${w.balance} but open lots hold ${w.lots}`,
          });
      }
      walletsChecked += page.length;
      if (page.length < LEDGER_CHECK_PAGE) break;
      after = page[page.length - 1].id;
    }
    let redemptionsChecked = 0;
    for (let after = 0; ;) {
      const page = await this.ledger.redemptionTotals(this.db, orgId, after, LEDGER_CHECK_PAGE);
      for (const r of page) {
        if (!Decimal.of(r.allocated).eq(Decimal.of(r.points)))
          fail({
            redemption_id: r.code,
            problem: `allocations ${r.allocated} != points ${r.points}`,
          });
        if (!Decimal.of(r.alloc_reversed).eq(Decimal.of(r.reversed)))
          fail({
            redemption_id: r.code,
            problem: `reversed allocations ${r.alloc_reversed} != reversed ${r.reversed}`,
          });
        if (r.wallet_missing) fail({ redemption_id: r.code, problem: 'its wallet does not exist' });
        if (r.customer_missing)
          fail({ redemption_id: r.code, problem: 'its customer does not exist' });
        if (r.lots_missing > 0)
          fail({
            redemption_id: r.code,
            problem: `${r.lots_missing} allocations name a missing lot`,
          });
        if (!Decimal.of(r.ledger).neg().eq(Decimal.of(r.points)))
          fail({
            redemption_id: r.code,
            problem: `ledger debit ${r.ledger} != points ${r.points}`,
          });
      }
      redemptionsChecked += page.length;
      if (page.length < LEDGER_CHECK_PAGE) break;
      after = page[page.length - 1].id;
    }
    return {
      ok: failureCount === 0,
      wallets_checked: walletsChecked,
      redemptions_checked: redemptionsChecked,
      failure_count: failureCount,
      failures,
    };
  }
}
