import { Injectable } from '@nestjs/common';
import { passwordVerifiers } from '../auth/password';
import { Principal } from '../auth/principal';
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
  now: Date;
}

/** What a credit did: exact decimals as text, times as ISO text (it is replayed as stored). */
export interface CreditResult {
  lotId: string;
  walletId: string;
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
  failures: { wallet_id?: string; redemption_id?: string; problem: string }[];
}

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
  ) {}

  getConfig(principal: Principal): Promise<OrgConfig> {
    return this.orgConfigs.get(this.db, principal.orgId);
  }

  patchConfig(principal: Principal, patch: Partial<OrgConfig>): Promise<OrgConfig> {
    return this.db
      .transaction(async (tx) => {
        const config = await this.orgConfigs.update(tx, principal.orgId, patch);
        // Out of demo mode, the readable copies demo mode kept of delivered codes go.
        if (patch.demo_mode === false) await this.notifications.dropKeptTexts(tx, principal.orgId);
        return config;
      })
      .finally(() => this.settings.invalidate(principal.orgId));
  }

  listPrograms(principal: Principal): Promise<Program[]> {
    return this.programs.list(this.db, principal.orgId);
  }

  async createProgram(principal: Principal, dto: ProgramCreateDto): Promise<Program> {
    return this.db
      .transaction(async (tx) => {
        if (dto.is_default) await this.programs.clearDefault(tx, principal.orgId);
        return this.programs.insert(tx, principal.orgId, {
          name: dto.name,
          is_default: dto.is_default ?? false,
          min_redeem: dto.min_redeem ?? '0',
          max_redeem: dto.max_redeem ?? null,
          redeem_multiple_of: dto.redeem_multiple_of ?? null,
          decimal_places: dto.decimal_places ?? 3,
          points_currency_ratio: dto.points_currency_ratio ?? '1',
        });
      })
      .finally(() => this.settings.invalidate(principal.orgId))
      .catch((err: unknown) => conflict(err, PROGRAM_NAME_TAKEN));
  }

  async patchProgram(principal: Principal, id: number, dto: ProgramPatchDto): Promise<Program> {
    return this.db
      .transaction(async (tx) => {
        const existing = await this.programs.find(tx, principal.orgId, id);
        if (!existing) throw new NotFoundError(`Program ${id} not found`);
        if (dto.is_default === true) await this.programs.clearDefault(tx, principal.orgId);
        if (dto.is_default === false && existing.isDefault)
          throw new InvalidRequestError('Make another program the default instead', [
            { field: 'is_default', message: 'an org always has one default program' },
          ]);
        return (await this.programs.update(tx, principal.orgId, id, dto))!;
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

  async createTill(principal: Principal, dto: TillCreateDto): Promise<TillCreated> {
    const group = await this.users.findAccessGroup(this.db, principal.orgId, dto.access_group);
    if (!group) throw new NotFoundError(`Access group ${String(dto.access_group)} not found`);
    const row = await this.users
      .insertUser(this.db, principal.orgId, {
        username: dto.username,
        verifiers: await passwordVerifiers(dto.password),
        accessGroupId: group.id,
      })
      .catch((err: unknown) => conflict(err, { app_user_username_key: 'Username is taken' }));
    return {
      id: row.id,
      username: dto.username,
      access_group: group.name,
      active: true,
      created_at: row.created_at,
    };
  }

  async createCustomer(principal: Principal, dto: CustomerCreateDto): Promise<CustomerRow> {
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
    return this.customers
      .insert(this.db, principal.orgId, { ...dto, mobile })
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
    const wallets = await this.summaries.forCustomer(this.db, customer.id, this.clock.now());
    return { customer, wallets };
  }

  async patchCustomer(principal: Principal, id: number, dto: CustomerPatchDto) {
    await this.customerOr404(this.db, principal.orgId, id);
    await this.customers.update(this.db, principal.orgId, id, dto);
    return this.customerOr404(this.db, principal.orgId, id);
  }

  /**
   * Checks a credit and resolves what it names (customer or group, program); throws when it
   * cannot be carried out. Nothing is written.
   */
  async planCredit(principal: Principal, requestId: string, dto: CreditDto): Promise<CreditPlan> {
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
      await journal?.record(tx, 0, result);
      return result;
    });
  }

  async createGroup(principal: Principal, dto: GroupCreateDto): Promise<GroupWithMembers> {
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
        return this.groupOr404(tx, orgId, id);
      })
      .catch((err: unknown) =>
        conflict(err, {
          customer_group_org_id_external_id_key: 'A group with this external_id exists',
        }),
      );
  }

  async patchGroup(principal: Principal, id: number, dto: GroupPatchDto) {
    await this.groupOr404(this.db, principal.orgId, id);
    if (dto.redemption_enabled !== undefined) {
      await this.groups.setRedemptionEnabled(this.db, principal.orgId, id, dto.redemption_enabled);
    }
    return this.groupOr404(this.db, principal.orgId, id);
  }

  async addGroupMember(principal: Principal, groupId: number, customerId: number) {
    const orgId = principal.orgId;
    await this.groupOr404(this.db, orgId, groupId);
    await this.customerOr404(this.db, orgId, customerId);
    await this.groups.addMember(this.db, orgId, groupId, customerId);
    return this.groupOr404(this.db, orgId, groupId);
  }

  getGroup(principal: Principal, id: number): Promise<GroupWithMembers> {
    return this.groupOr404(this.db, principal.orgId, id);
  }

  private async groupOr404(sql: Sql, orgId: number, id: number): Promise<GroupWithMembers> {
    const group = await this.groups.findWithMembers(sql, orgId, id);
    if (!group) throw new NotFoundError(`Group ${id} not found`);
    return group;
  }

  async recordMissedCall(principal: Principal, typed: string) {
    const at = this.clock.now();
    const mobile = await this.mobileOf(principal.orgId, typed);
    const id = await this.missedCalls.record(this.db, principal.orgId, mobile, at);
    return { id, mobile, called_at: at };
  }

  /** The outbox; texts carry the code masked unless the org is in demo mode. */
  listNotifications(principal: Principal, customerId?: number): Promise<NotificationView[]> {
    return this.notifications.listForAdmin(this.db, principal.orgId, customerId);
  }

  listCustomFields(principal: Principal): Promise<CustomFieldRow[]> {
    return this.customFields.list(this.db, principal.orgId);
  }

  async createCustomField(principal: Principal, name: string): Promise<CustomFieldRow> {
    return this.customFields
      .insertRedemptionField(this.db, principal.orgId, name)
      .catch((err: unknown) =>
        conflict(err, { custom_field_org_id_scope_name_key: 'This custom field exists' }),
      );
  }

  /**
   * Every wallet of the org: balance = sum of its ledger = sum of its open lots, never
   * negative; every redemption's allocations add up to what it took, net of reversals.
   */
  async verifyLedger(principal: Principal): Promise<LedgerCheck> {
    const wallets = await this.ledger.walletTotals(this.db, principal.orgId);
    const failures: LedgerCheck['failures'] = [];
    for (const w of wallets) {
      const balance = Decimal.of(w.balance);
      if (balance.isNegative())
        failures.push({ wallet_id: w.id, problem: `negative balance ${w.balance}` });
      if (!balance.eq(Decimal.of(w.ledger)))
        failures.push({
          wallet_id: w.id,
          problem: `balance ${w.balance} but ledger sums to ${w.ledger}`,
        });
      if (!balance.eq(Decimal.of(w.lots)))
        failures.push({
          wallet_id: w.id,
          problem: `balance ${w.balance} but open lots hold ${w.lots}`,
        });
    }
    const redemptions = await this.ledger.redemptionTotals(this.db, principal.orgId);
    for (const r of redemptions) {
      if (!Decimal.of(r.allocated).eq(Decimal.of(r.points)))
        failures.push({
          redemption_id: r.code,
          problem: `allocations ${r.allocated} != points ${r.points}`,
        });
      if (!Decimal.of(r.alloc_reversed).eq(Decimal.of(r.reversed)))
        failures.push({
          redemption_id: r.code,
          problem: `reversed allocations ${r.alloc_reversed} != reversed ${r.reversed}`,
        });
      if (!Decimal.of(r.ledger).neg().eq(Decimal.of(r.points)))
        failures.push({
          redemption_id: r.code,
          problem: `ledger debit ${r.ledger} != points ${r.points}`,
        });
    }
    return {
      ok: failures.length === 0,
      wallets_checked: wallets.length,
      redemptions_checked: redemptions.length,
      failures,
    };
  }
}
