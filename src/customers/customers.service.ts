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

/** The identifier fields of a customer as Capillary shows them ('' when absent). */
export function customerIdentifiers(c: CustomerRow | undefined): Record<string, string> {
  return {
    mobile: c?.mobile ?? '',
    email: c?.email ?? '',
    external_id: c?.external_id ?? '',
    user_id: c ? String(c.id) : '',
  };
}

const sum = (rows: WalletSummaryRow[], pick: (r: WalletSummaryRow) => string): Decimal =>
  rows.reduce((acc, r) => acc.add(Decimal.of(pick(r))), Decimal.ZERO);

@Injectable()
export class CustomersService {
  constructor(
    private readonly db: Db,
    private readonly customers: CustomerRepository,
    private readonly summaries: WalletSummaryRepository,
    private readonly clock: Clock,
  ) {}

  async get(principal: Principal, query: Record<string, unknown>): Promise<unknown> {
    const identifier = pickIdentifier(query);
    const failure = (outcome: 'MISSING_CUSTOMER_IDENTIFIER' | 'CUSTOMER_NOT_FOUND') =>
      v11Envelope(status(false, 500, 'All requests have failed due to errors'), {
        customers: {
          customer: [
            {
              ...customerIdentifiers(undefined),
              mobile: typeof query.mobile === 'string' ? query.mobile : '',
              item_status: itemStatus(outcome),
            },
          ],
        },
      });
    if (typeof identifier === 'string') return failure('MISSING_CUSTOMER_IDENTIFIER');
    const customer = await this.customers.findByIdentifier(this.db, principal.orgId, identifier);
    if (!customer) return failure('CUSTOMER_NOT_FOUND');

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
}
