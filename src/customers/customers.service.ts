import { Injectable } from '@nestjs/common';
import { AdminCall, AuditLog } from '../audit/audit.service';
import { WebhooksService } from '../events/webhooks.service';
import { Principal } from '../auth/principal';
import { InvalidRequestError, NotFoundError } from '../common/errors';
import { Clock } from '../common/clock';
import { Db, Sql } from '../database/db';
import { conflictOn } from '../database/pg-errors';
import { CustomerRepository, CustomerRow, NewCustomer } from './customer.repository';
import { OrgSettings } from '../programs/org-settings';
import { CustomerIdentifier } from './identifier';
import { normalizeIdentifier, normalizeMobile } from './mobile';
import { RedemptionHistoryRepository, RedemptionHistoryRow } from './redemption-history.repository';
import { WalletSummaryRepository, WalletSummaryRow } from './wallet-summary.repository';

/** Who a customer read names: an identifier, or why there is none. */
export type CustomerSelector = CustomerIdentifier | 'missing' | 'malformed';

/** A read that found nobody: no usable identifier (802) or no such customer here (816). */
export type CustomerNotFound = { outcome: 'MISSING_CUSTOMER_IDENTIFIER' | 'CUSTOMER_NOT_FOUND' };

export interface CustomerProfile {
  customer: CustomerRow;
  /** The customer's own wallets and those of its groups, unexpired points only. */
  wallets: WalletSummaryRow[];
}

export type CustomerPatch = Partial<Pick<CustomerRow, 'fraud_status' | 'firstname' | 'lastname'>>;

export interface RedemptionPage {
  customer: CustomerRow;
  total: number;
  limit: number;
  offset: number;
  rows: RedemptionHistoryRow[];
}

/** Customers: the v1.1 reads, and the records operators create and change. */
@Injectable()
export class CustomersService {
  constructor(
    private readonly db: Db,
    private readonly customers: CustomerRepository,
    private readonly summaries: WalletSummaryRepository,
    private readonly history: RedemptionHistoryRepository,
    private readonly clock: Clock,
    private readonly settings: OrgSettings,
    private readonly audit: AuditLog,
    private readonly events: WebhooksService,
  ) {}

  /**
   * The customer an identifier names, its mobile (if it is one) read in the org's one form
   * first, however it was typed. The one way every feature finds a customer by identifier.
   */
  async findByIdentifier(
    orgId: number,
    identifier: CustomerIdentifier,
    sql: Sql = this.db,
  ): Promise<CustomerRow | undefined> {
    const rules = await this.settings.config(orgId);
    return this.customers.findByIdentifier(sql, orgId, normalizeIdentifier(identifier, rules));
  }

  /**
   * Serialises the issuing of validation codes to one customer (see the repository), in
   * the caller's transaction.
   */
  lockForCodeIssue(tx: Sql, orgId: number, customerId: number): Promise<void> {
    return this.customers.lockForCodeIssue(tx, orgId, customerId);
  }

  /** The customer's redemptions older than the one with id `before`, newest first. */
  redemptionsBefore(
    orgId: number,
    customerId: number,
    before: string | undefined,
    limit: number,
  ): Promise<RedemptionHistoryRow[]> {
    return this.history.pageBefore(this.db, orgId, customerId, before, limit);
  }

  /** The customer with this id in the org. */
  findById(orgId: number, id: number, sql: Sql = this.db): Promise<CustomerRow | undefined> {
    return this.customers.findById(sql, orgId, id);
  }

  private async lookup(
    principal: Principal,
    selector: CustomerSelector,
  ): Promise<CustomerRow | CustomerNotFound> {
    if (typeof selector === 'string') return { outcome: 'MISSING_CUSTOMER_IDENTIFIER' };
    const customer = await this.findByIdentifier(principal.orgId, selector);
    return customer ?? { outcome: 'CUSTOMER_NOT_FOUND' };
  }

  async profile(
    principal: Principal,
    selector: CustomerSelector,
  ): Promise<CustomerProfile | CustomerNotFound> {
    const customer = await this.lookup(principal, selector);
    return 'outcome' in customer ? customer : this.withWallets(principal.orgId, customer);
  }

  /** The customer with their wallets' unexpired points. */
  private async withWallets(orgId: number, customer: CustomerRow): Promise<CustomerProfile> {
    const wallets = await this.summaries.forCustomer(this.db, orgId, customer.id, this.clock.now());
    return { customer, wallets };
  }

  /**
   * Newest first, with their reversals: after `offset` of them, or, given `before` (a
   * redemption's code), those older than it (keyset; `offset` is then 0).
   */
  async redemptions(
    principal: Principal,
    selector: CustomerSelector,
    limit: number,
    offset: number,
    before?: string,
  ): Promise<RedemptionPage | CustomerNotFound> {
    const customer = await this.lookup(principal, selector);
    if ('outcome' in customer) return customer;
    const [total, rows] = await Promise.all([
      this.history.count(this.db, principal.orgId, customer.id),
      before === undefined
        ? this.history.page(this.db, principal.orgId, customer.id, limit, offset)
        : this.history.pageBeforeCode(this.db, principal.orgId, customer.id, before, limit),
    ]);
    return { customer, total, limit, offset: before === undefined ? offset : 0, rows };
  }

  async createCustomer(principal: AdminCall, dto: NewCustomer): Promise<CustomerRow> {
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
        await this.audit.created(tx, principal, ['customer', customer.id], customer);
        return customer;
      })
      .catch((err: unknown) =>
        conflictOn(err, {
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

  async getCustomer(principal: Principal, id: number): Promise<CustomerProfile> {
    return this.withWallets(
      principal.orgId,
      await this.customerOr404(this.db, principal.orgId, id),
    );
  }

  async patchCustomer(principal: AdminCall, id: number, dto: CustomerPatch) {
    return this.db.transaction(async (tx) => {
      const before = await this.customerOr404(tx, principal.orgId, id);
      await this.customers.update(tx, principal.orgId, id, dto);
      const after = await this.customerOr404(tx, principal.orgId, id);
      await this.audit.record(tx, principal, 'customer.update', ['customer', id], before, after);
      if (after.fraud_status !== before.fraud_status)
        await this.events.emit(tx, principal.orgId, 'customer.fraud_status_changed', {
          customer_id: String(id),
          fraud_status: after.fraud_status,
          previous_fraud_status: before.fraud_status,
        });
      return after;
    });
  }
}
