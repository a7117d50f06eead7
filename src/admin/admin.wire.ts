import { HttpStatus, Injectable } from '@nestjs/common';
import { AdminCall } from '../audit/audit.service';
import { stringifyWireJson, wireId, wireNumber } from '../capillary/wire-json';
import { requestFingerprint, WireResponse } from '../capillary/wire-response';
import { CustomerRow } from '../customers/customer.repository';
import { CustomerProfile } from '../customers/customers.service';
import { CreditResult, EarningService } from '../earning/earning.service';
import { DeliveryRow } from '../events/events.repository';
import { LedgerCheck } from '../ledger/ledger-check.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { Program } from '../programs/program.repository';
import { CreditDto } from './dto/admin.dto';

/** The admin API's JSON for the admin use cases' values, with exact decimals. */

export function programJson(p: Program) {
  return {
    id: p.id,
    name: p.name,
    is_default: p.isDefault,
    min_redeem: wireNumber(p.minRedeem),
    max_redeem: p.maxRedeem && wireNumber(p.maxRedeem),
    redeem_multiple_of: p.redeemMultipleOf && wireNumber(p.redeemMultipleOf),
    decimal_places: p.decimalPlaces,
    points_currency_ratio: wireNumber(p.pointsCurrencyRatio),
  };
}

export function customerJson(c: CustomerRow) {
  return {
    id: c.id,
    mobile: c.mobile,
    email: c.email,
    external_id: c.external_id,
    card_number: c.card_number,
    card_external_id: c.card_external_id,
    firstname: c.firstname,
    lastname: c.lastname,
    fraud_status: c.fraud_status,
    created_at: c.created_at,
  };
}

export function customerWithWalletsJson({ customer, wallets }: CustomerProfile) {
  return {
    ...customerJson(customer),
    wallets: wallets.map((w) => ({
      wallet_id: wireId(w.wallet_id),
      program_id: w.program_id,
      group_id: w.group_id,
      balance: wireNumber(w.available),
      lifetime_points: wireNumber(w.lifetime_points),
      redeemed: wireNumber(w.redeemed),
      expired: wireNumber(w.expired),
      returned: wireNumber(w.returned),
    })),
  };
}

/** A row of an unbounded table (a missed call, a notification) with its bigint id as text. */
export function withWireId<T extends { id: number }>(row: T) {
  return { ...row, id: wireId(row.id) };
}

/** A page of an endpoint's deliveries, newest first (ids are bigints: text). */
export function deliveryPageJson(rows: DeliveryRow[], limit: number) {
  return {
    deliveries: rows.map((d) => ({ ...d, id: wireId(d.id) })),
    next_before: rows.length === limit ? wireId(rows[rows.length - 1].id) : null,
  };
}

/** The ledger check's report: a failing wallet's id (a bigint) as a string. */
export function ledgerCheckJson(check: LedgerCheck) {
  return {
    ...check,
    failures: check.failures.map(({ wallet_id, ...rest }) =>
      wallet_id === undefined ? rest : { wallet_id: wireId(wallet_id), ...rest },
    ),
  };
}

function creditJson(r: CreditResult) {
  return {
    lot: {
      id: wireId(r.lotId),
      wallet_id: wireId(r.walletId),
      program_id: r.programId,
      points: wireNumber(r.points),
      earned_at: r.earnedAt,
      expires_at: r.expiresAt,
    },
    balance: wireNumber(r.balance),
  };
}

/** The credit endpoint: checked first, then applied exactly once per Idempotency-Key. */
@Injectable()
export class AdminCreditWire {
  constructor(
    private readonly earning: EarningService,
    private readonly idempotency: IdempotencyService,
  ) {}

  async credit(
    principal: AdminCall,
    dto: CreditDto,
    idempotencyKey: string | undefined,
  ): Promise<WireResponse> {
    const plan = await this.earning.planCredit(principal, dto);
    const hash = () => requestFingerprint('credit', '/admin/points/credit', {}, dto);
    const response = await this.idempotency.run(
      principal.orgId,
      idempotencyKey,
      hash,
      async (journal) => {
        // Recorded by an earlier version as its finished answer: replayed as it is.
        const earlier = journal?.done(0) as { json?: unknown; status?: number } | undefined;
        if (typeof earlier?.json === 'string') {
          return { status: earlier.status ?? HttpStatus.CREATED, body: earlier.json, keep: true };
        }
        return {
          status: HttpStatus.CREATED,
          body: stringifyWireJson(creditJson(await this.earning.credit(plan, journal))),
          keep: true,
        };
      },
    );
    return WireResponse.from(response);
  }
}
