import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { status, v11Envelope } from '../capillary/envelope';
import { itemStatus } from '../capillary/status-codes';
import { wireNumber } from '../capillary/wire-json';
import { Clock } from '../common/clock';
import { Decimal } from '../common/decimal';
import { Db } from '../database/db';
import { CustomerRepository, CustomerRow } from './customer.repository';
import { pickIdentifier } from './identifier';
import { WalletSummaryRepository, WalletSummaryRow } from './wallet-summary.repository';
import { RedemptionHistoryRepository } from './redemption-history.repository';
import { Outcome } from '../common/outcome';

/** The identifier fields of a customer as Capillary shows them ('' when absent). */
export function customerIdentifiers(c: CustomerRow | undefined): Record<string, string> {
  return {
    mobile: c?.mobile ?? '',
    email: c?.email ?? '',
    external_id: c?.external_id ?? '',
    user_id: c ? String(c.id) : '',
  };
}

const ALL_FAILED = status(false, 500, 'All requests have failed due to errors');
const MAX_PAGE = 100;

const sum = (rows: WalletSummaryRow[], pick: (r: WalletSummaryRow) => string): Decimal =>
  rows.reduce((acc, r) => acc.add(Decimal.of(pick(r))), Decimal.ZERO);

@Injectable()
export class CustomersService {
  constructor(
    private readonly db: Db,
    private readonly customers: CustomerRepository,
    private readonly summaries: WalletSummaryRepository,
    private readonly history: RedemptionHistoryRepository,
    private readonly clock: Clock,
  ) {}

  /** The customer a read names, or the outcome to report instead. */
  private async lookup(
    principal: Principal,
    query: Record<string, unknown>,
  ): Promise<CustomerRow | 'MISSING_CUSTOMER_IDENTIFIER' | 'CUSTOMER_NOT_FOUND'> {
    const identifier = pickIdentifier(query);
    if (typeof identifier === 'string') return 'MISSING_CUSTOMER_IDENTIFIER';
    const customer = await this.customers.findByIdentifier(this.db, principal.orgId, identifier);
    return customer ?? 'CUSTOMER_NOT_FOUND';
  }

  private notFound(query: Record<string, unknown>, outcome: Outcome): Record<string, unknown> {
    return {
      ...customerIdentifiers(undefined),
      mobile: typeof query.mobile === 'string' ? query.mobile : '',
      item_status: itemStatus(outcome),
    };
  }

  async get(principal: Principal, query: Record<string, unknown>): Promise<unknown> {
    const customer = await this.lookup(principal, query);
    if (typeof customer === 'string') {
      return v11Envelope(ALL_FAILED, { customers: { customer: [this.notFound(query, customer)] } });
    }

    const wallets = await this.summaries.forCustomer(this.db, customer.id, this.clock.now());
    const own = wallets.filter((w) => w.group_id === null);
    const groups = wallets.filter((w) => w.group_id !== null);
    const summary = (w: WalletSummaryRow) => ({
      program_id: w.program_id,
      program_name: w.program_name,
      loyalty_points: wireNumber(w.available),
      lifetime_points: wireNumber(w.lifetime_points),
      redeemed: wireNumber(w.redeemed),
      expired: wireNumber(w.expired),
      returned: wireNumber(w.returned),
    });

    return v11Envelope(status(true, 200, 'Success'), {
      customers: {
        customer: [
          {
            ...customerIdentifiers(customer),
            firstname: customer.firstname,
            lastname: customer.lastname,
            card_number: customer.card_number ?? '',
            loyalty_points: wireNumber(sum(own, (w) => w.available)),
            lifetime_points: wireNumber(sum(own, (w) => w.lifetime_points)),
            fraud_status: customer.fraud_status,
            points_summaries: { points_summary: own.map(summary) },
            group_points_summaries: {
              group_points_summary: groups.map((w) => ({
                group_id: w.group_id,
                group_external_id: w.group_external_id,
                ...summary(w),
              })),
            },
            custom_fields: { field: [] },
            card_details: [],
            item_status: itemStatus('CUSTOMER_RETRIEVED'),
          },
        ],
      },
    });
  }

  /** `GET /v1.1/customer/redemptions`: newest first, paged by limit/offset, with reversals. */
  async redemptions(principal: Principal, query: Record<string, unknown>): Promise<unknown> {
    const customer = await this.lookup(principal, query);
    if (typeof customer === 'string') {
      return v11Envelope(ALL_FAILED, { customer: this.notFound(query, customer) });
    }
    const int = (name: string, fallback: number, max: number): number => {
      const raw = typeof query[name] === 'string' ? query[name] : '';
      return /^\d{1,6}$/.test(raw) ? Math.min(Number(raw), max) : fallback;
    };
    const limit = Math.max(1, int('limit', 10, MAX_PAGE));
    const offset = int('offset', 0, 1_000_000);
    const [total, rows] = await Promise.all([
      this.history.count(this.db, customer.id),
      this.history.page(this.db, customer.id, limit, offset),
    ]);
    return v11Envelope(status(true, 200, 'Success'), {
      customer: {
        ...customerIdentifiers(customer),
        redemptions: {
          count: total,
          limit,
          offset,
          redemption: rows.map((r) => ({
            redemption_id: r.code,
            program_id: r.program_id,
            group_id: r.group_id,
            points_redeemed: Decimal.of(r.points).toString(),
            points_reversed: wireNumber(r.reversed_points),
            redeemed_value: wireNumber(r.redeemed_value),
            transaction_number: r.transaction_number,
            external_reference_number: r.external_reference_number ?? '',
            redemption_time: r.redemption_time,
            created_at: r.created_at,
            till: r.till,
            notes: r.notes,
            redemption_purpose: r.purpose,
            reversals: r.reversals.map((v) => ({
              reversal_id: v.reversal_id,
              points_reversed: wireNumber(v.points_reversed),
              points_expired: wireNumber(v.points_expired),
              created_at: v.created_at,
            })),
          })),
        },
        item_status: itemStatus('CUSTOMER_RETRIEVED'),
      },
    });
  }
}
