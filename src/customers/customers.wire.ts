import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { status, v11Envelope } from '../capillary/envelope';
import { itemStatus } from '../capillary/status-codes';
import { wireNumber } from '../capillary/wire-json';
import { Decimal } from '../common/decimal';
import { customerIdentity } from './customer-identity';
import { CustomerNotFound, CustomersService } from './customers.service';
import { IDENTIFIER_QUERY_FIELDS, pickIdentifier } from './identifier';
import { field, parseFields } from '../capillary/wire-schema';
import { WalletSummaryRow } from './wallet-summary.repository';

const pageParam = (description: string) =>
  field({ type: 'integer', description }, (raw) => (typeof raw === 'string' ? raw : ''));

export const CUSTOMER_QUERY_FIELDS = IDENTIFIER_QUERY_FIELDS;
export const REDEMPTIONS_QUERY_FIELDS = {
  ...IDENTIFIER_QUERY_FIELDS,
  limit: pageParam('1-100, default 10'),
  offset: pageParam('default 0'),
  before: field(
    {
      type: 'string',
      description:
        'redemption_id of the last redemption of the previous page: the next, older page by keyset (as cheap deep as on the first page; offset is then ignored). Each full page names it as next_before.',
    },
    (raw) => (typeof raw === 'string' ? raw : ''),
  ),
};

const ALL_FAILED = status(false, 500, 'All requests have failed due to errors');
const MAX_PAGE = 100;

const sum = (rows: WalletSummaryRow[], pick: (r: WalletSummaryRow) => string): Decimal =>
  rows.reduce((acc, r) => acc.add(Decimal.of(pick(r))), Decimal.ZERO);

/** The customer part of a failed read: the mobile the till asked for, and why. */
function notFound(query: Record<string, unknown>, r: CustomerNotFound): Record<string, unknown> {
  return {
    ...customerIdentity(undefined),
    mobile: typeof query.mobile === 'string' ? query.mobile : '',
    item_status: itemStatus(r.outcome),
  };
}

/** `GET /v1.1/customer/get` and `GET /v1.1/customer/redemptions` on the wire. */
@Injectable()
export class CustomersWire {
  constructor(private readonly customers: CustomersService) {}

  async get(principal: Principal, query: Record<string, unknown>): Promise<unknown> {
    const found = await this.customers.profile(
      principal,
      pickIdentifier(parseFields(CUSTOMER_QUERY_FIELDS, query)),
    );
    if ('outcome' in found) {
      return v11Envelope(ALL_FAILED, { customers: { customer: [notFound(query, found)] } });
    }
    const { customer, wallets } = found;
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
            ...customerIdentity(customer),
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

  /** Paged by limit (1-100, default 10) and offset, or by `before` (keyset). */
  async redemptions(principal: Principal, query: Record<string, unknown>): Promise<unknown> {
    const q = parseFields(REDEMPTIONS_QUERY_FIELDS, query);
    const int = (raw: string, fallback: number, max: number): number =>
      /^\d{1,6}$/.test(raw) ? Math.min(Number(raw), max) : fallback;
    const page = await this.customers.redemptions(
      principal,
      pickIdentifier(q),
      Math.max(1, int(q.limit, 10, MAX_PAGE)),
      int(q.offset, 0, 1_000_000),
      q.before === '' ? undefined : q.before,
    );
    if ('outcome' in page) return v11Envelope(ALL_FAILED, { customer: notFound(query, page) });
    return v11Envelope(status(true, 200, 'Success'), {
      customer: {
        ...customerIdentity(page.customer),
        redemptions: {
          count: page.total,
          limit: page.limit,
          offset: page.offset,
          // A full page names its last redemption (there may be older ones); else null.
          next_before:
            page.rows.length === page.limit ? page.rows[page.rows.length - 1].code : null,
          redemption: page.rows.map((r) => ({
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
