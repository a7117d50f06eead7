import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { Db } from '../database/db';
import { CustomerRepository, CustomerRow } from './customer.repository';
import { OrgSettings } from '../programs/org-settings';
import { CustomerIdentifier } from './identifier';
import { normalizeIdentifier } from './mobile';
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

export interface RedemptionPage {
  customer: CustomerRow;
  total: number;
  limit: number;
  offset: number;
  rows: RedemptionHistoryRow[];
}

/** The v1.1 customer reads. */
@Injectable()
export class CustomersService {
  constructor(
    private readonly db: Db,
    private readonly customers: CustomerRepository,
    private readonly summaries: WalletSummaryRepository,
    private readonly history: RedemptionHistoryRepository,
    private readonly clock: Clock,
    private readonly settings: OrgSettings,
  ) {}

  private async lookup(
    principal: Principal,
    selector: CustomerSelector,
  ): Promise<CustomerRow | CustomerNotFound> {
    if (typeof selector === 'string') return { outcome: 'MISSING_CUSTOMER_IDENTIFIER' };
    const rules = await this.settings.config(principal.orgId);
    const customer = await this.customers.findByIdentifier(
      this.db,
      principal.orgId,
      normalizeIdentifier(selector, rules),
    );
    return customer ?? { outcome: 'CUSTOMER_NOT_FOUND' };
  }

  async profile(
    principal: Principal,
    selector: CustomerSelector,
  ): Promise<CustomerProfile | CustomerNotFound> {
    const customer = await this.lookup(principal, selector);
    if ('outcome' in customer) return customer;
    const wallets = await this.summaries.forCustomer(
      this.db,
      principal.orgId,
      customer.id,
      this.clock.now(),
    );
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
}
