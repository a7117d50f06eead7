import { HttpStatus, Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { ApiError } from '../capillary/api-error';
import { v2Errors } from '../capillary/envelope';
import { ITEM_CODES } from '../capillary/status-codes';
import { isWireNumber, stringifyWireJson, wireNumber } from '../capillary/wire-json';
import { WireResponse } from '../capillary/wire-response';
import { Clock } from '../common/clock';
import { randomCode } from '../common/codes';
import { Decimal } from '../common/decimal';
import { Outcome } from '../common/outcome';
import { parsePoints } from '../common/points-input';
import { CustomerRepository } from '../customers/customer.repository';
import { identifierFromTypeValue, scalarText } from '../customers/identifier';
import { Db, LockTimeoutError, Sql } from '../database/db';
import { IdempotencyLease, IdempotencyService } from '../idempotency/idempotency.service';
import { WalletRepository } from '../wallets/wallet.repository';
import { planReversal } from './plan-reversal';
import { RedemptionRef, ReversalRepository } from './reversal.repository';

const HTTP_FOR: Partial<Record<Outcome, number>> = {
  REDEMPTION_NOT_FOUND: HttpStatus.NOT_FOUND,
  ALREADY_FULLY_REVERSED: HttpStatus.CONFLICT,
  WALLET_LOCKED: HttpStatus.SERVICE_UNAVAILABLE,
};

interface ReverseRequest {
  by: { code: string } | { externalReferenceNumber: string } | undefined;
  points: Decimal | undefined | { outcome: Outcome };
  identifier: { type: unknown; value: unknown } | undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !isWireNumber(v);

class Rollback extends Error {
  constructor(readonly outcome: Outcome) {
    super(outcome);
  }
}

/** `POST /v2/points/reverse`: gives a redemption's points back to the lots they came from. */
@Injectable()
export class ReversalService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly reversals: ReversalRepository,
    private readonly wallets: WalletRepository,
    private readonly customers: CustomerRepository,
    private readonly idempotency: IdempotencyService,
  ) {}

  static parse(body: unknown): ReverseRequest {
    if (!isObject(body)) {
      throw ApiError.badRequest(
        'Body must be a JSON object with redemptionId or externalReferenceNumber',
      );
    }
    const b = body;
    const code = scalarText(b.redemptionId);
    const ern = scalarText(b.externalReferenceNumber);
    const rawPoints = b.pointsToBeReversed;
    let points: ReverseRequest['points'];
    if (rawPoints !== undefined && rawPoints !== null && rawPoints !== '') {
      const parsed = parsePoints(rawPoints);
      points = parsed.ok ? parsed.points : { outcome: parsed.outcome };
    }
    const id = isObject(b.identifier) ? b.identifier : undefined;
    // An identifier with a value must match; only an absent or empty value means "none given".
    const given =
      id !== undefined && id.value !== undefined && id.value !== null && id.value !== '';
    return {
      by: code ? { code } : ern ? { externalReferenceNumber: ern } : undefined,
      points,
      identifier: given ? { type: id.type, value: id.value } : undefined,
    };
  }

  async reverse(
    principal: Principal,
    requestId: string,
    body: unknown,
    idempotencyKey: string | undefined,
  ): Promise<WireResponse> {
    const request = ReversalService.parse(body);
    const hash = () => IdempotencyService.requestHash('reverse', '/v2/points/reverse', {}, body);
    return this.idempotency.run(principal.orgId, idempotencyKey, hash, (lease) =>
      this.reverseOnce(principal, requestId, request, lease),
    );
  }

  private async reverseOnce(
    principal: Principal,
    requestId: string,
    request: ReverseRequest,
    lease: IdempotencyLease | undefined,
  ): Promise<WireResponse> {
    const stored = lease?.done.get(0);
    if (stored) return new WireResponse(stored.status ?? HttpStatus.OK, stored.json);
    let response: WireResponse;
    const outcome = await this.check(principal, request);
    if (typeof outcome === 'string') {
      response = this.error(outcome);
    } else {
      try {
        response = await this.db.transaction(
          async (tx) => {
            const result = await this.apply(tx, principal, requestId, outcome.redemption, request);
            const ok = new WireResponse(HttpStatus.OK, stringifyWireJson(result));
            if (lease) await this.record(tx, lease, ok);
            return ok;
          },
          { retryOnConstraints: ['reversal_org_id_code_key'] },
        );
      } catch (err) {
        if (err instanceof Rollback) response = this.error(err.outcome);
        else if (err instanceof LockTimeoutError) response = this.error('WALLET_LOCKED');
        else throw err;
      }
    }
    if (lease && !lease.done.has(0) && !response.transient)
      await this.record(this.db, lease, response);
    return response;
  }

  private record(sql: Sql, lease: IdempotencyLease, r: WireResponse): Promise<void> {
    return this.idempotency.recordItem(sql, lease, 0, {
      ok: r.httpStatus === 200,
      json: r.body,
      status: r.httpStatus,
    });
  }

  /** Checks that need no lock: the redemption exists here, the amount is sane, the customer matches. */
  private async check(
    principal: Principal,
    request: ReverseRequest,
  ): Promise<Outcome | { redemption: RedemptionRef }> {
    if (request.points !== undefined && !(request.points instanceof Decimal))
      return request.points.outcome;
    if (!request.by) return 'REDEMPTION_NOT_FOUND';
    const redemption = await this.reversals.findRedemption(this.db, principal.orgId, request.by);
    if (!redemption) return 'REDEMPTION_NOT_FOUND';
    if (
      request.points instanceof Decimal &&
      request.points.decimalPlaces > redemption.decimalPlaces
    )
      return 'INVALID_PRECISION';
    if (request.identifier) {
      const identifier = identifierFromTypeValue(request.identifier.type, request.identifier.value);
      const customer =
        identifier && (await this.customers.findByIdentifier(this.db, principal.orgId, identifier));
      if (!customer || customer.id !== redemption.customerId) return 'IDENTIFIER_MISMATCH';
    }
    return { redemption };
  }

  /** Lock the wallet, then the redemption; refill live lots; report what had expired. */
  private async apply(
    tx: Sql,
    principal: Principal,
    requestId: string,
    redemption: RedemptionRef,
    request: ReverseRequest,
  ) {
    const now = this.clock.now();
    const actor = { type: 'till' as const, id: principal.userId, requestId };
    const wallet = await this.wallets.lockById(tx, redemption.walletId);
    await this.wallets.sweep(tx, wallet, now, actor);
    const left = await this.reversals.lockRemaining(tx, redemption.id);
    if (left.isZero()) throw new Rollback('ALREADY_FULLY_REVERSED');
    const amount = request.points instanceof Decimal ? request.points : left;
    if (amount.gt(left)) throw new Rollback('REVERSAL_EXCEEDS_REDEMPTION');

    const plan = planReversal(await this.reversals.openAllocations(tx, redemption.id), amount, now);
    const restored = plan.reduce((s, p) => s.add(p.restored), Decimal.ZERO);
    const expired = plan.reduce((s, p) => s.add(p.expired), Decimal.ZERO);
    const code = randomCode(6);
    await this.reversals.apply(tx, {
      orgId: principal.orgId,
      code,
      redemptionId: redemption.id,
      wallet,
      requested: amount,
      restored,
      expired,
      restorations: plan,
      actor,
      now,
    });
    return {
      orgId: principal.orgId,
      customerId: redemption.customerId,
      redemptionId: redemption.code,
      reversalId: code,
      pointsToBeReversed: wireNumber(amount),
      pointsReversed: wireNumber(restored),
      pointsReversedDetails: { available: wireNumber(restored), expired: wireNumber(expired) },
      balance: wireNumber(wallet.balance),
      warnings: expired.isPositive()
        ? [
            {
              message: `${expired.toString()} points had expired since the redemption and were not restored`,
            },
          ]
        : [],
    };
  }

  private error(outcome: Outcome): WireResponse {
    const { code, message } = ITEM_CODES[outcome];
    return new WireResponse(
      HTTP_FOR[outcome] ?? HttpStatus.BAD_REQUEST,
      stringifyWireJson(v2Errors(code, message)),
      {},
      outcome === 'WALLET_LOCKED',
    );
  }
}
