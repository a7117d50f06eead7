import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { randomCode } from '../common/codes';
import { Decimal } from '../common/decimal';
import { Outcome } from '../common/outcome';
import { CustomerRepository } from '../customers/customer.repository';
import { identifierFromTypeValue } from '../customers/identifier';
import { normalizeIdentifier } from '../customers/mobile';
import { OrgSettings } from '../programs/org-settings';
import { Db, LockTimeoutError, Sql } from '../database/db';
import { ItemJournal } from '../idempotency/idempotency.service';
import { WalletRepository } from '../wallets/wallet.repository';
import { planReversal } from './plan-reversal';
import { RedemptionRef, ReversalRepository } from './reversal.repository';

/** A reversal request, parsed: which redemption, how much (default: the rest), whose. */
export interface ReverseRequest {
  by: { code: string } | { externalReferenceNumber: string } | undefined;
  points: Decimal | undefined | { outcome: Outcome };
  identifier: { type: unknown; value: unknown } | undefined;
}

/** What a reversal did. */
export interface Reversed {
  orgId: number;
  customerId: number;
  redemptionCode: string;
  reversalCode: string;
  requested: Decimal;
  restored: Decimal;
  expired: Decimal;
  balance: Decimal;
}

export type ReverseResult = { reversed: Reversed } | { outcome: Outcome };

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
    private readonly settings: OrgSettings,
  ) {}

  /**
   * Reverses the redemption, fully or partly, in one transaction. Under an Idempotency-Key
   * the result is recorded in `journal` (inside that transaction when it reversed).
   */
  async reverse(
    principal: Principal,
    requestId: string,
    request: ReverseRequest,
    journal: ItemJournal | undefined,
    actorType: 'till' | 'admin' = 'till',
  ): Promise<ReverseResult> {
    let result: ReverseResult;
    const checked = await this.check(principal, request);
    if (typeof checked === 'string') {
      result = { outcome: checked };
    } else {
      try {
        result = await this.db.transaction(
          async (tx) => {
            const reversed = await this.apply(
              tx,
              principal,
              requestId,
              checked.redemption,
              request,
              actorType,
            );
            const ok = { reversed };
            await journal?.record(tx, 0, ok);
            return ok;
          },
          { retryOnConstraints: ['reversal_org_id_code_key'] },
        );
      } catch (err) {
        if (err instanceof Rollback) result = { outcome: err.outcome };
        else if (err instanceof LockTimeoutError) result = { outcome: 'WALLET_LOCKED' };
        else throw err;
      }
    }
    // A lock timeout says "retry": it is not recorded.
    if (journal && journal.done(0) === undefined && !('reversed' in result)) {
      if (result.outcome !== 'WALLET_LOCKED') await journal.record(this.db, 0, result);
    }
    return result;
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
      const rules = await this.settings.config(principal.orgId);
      const customer =
        identifier &&
        (await this.customers.findByIdentifier(
          this.db,
          principal.orgId,
          normalizeIdentifier(identifier, rules),
        ));
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
    actorType: 'till' | 'admin',
  ): Promise<Reversed> {
    const now = this.clock.now();
    const actor = { type: actorType, id: principal.userId, requestId };
    const wallet = await this.wallets.lockById(tx, principal.orgId, redemption.walletId);
    await this.wallets.sweep(tx, wallet, now, actor);
    const left = await this.reversals.lockRemaining(tx, principal.orgId, redemption.id);
    if (left.isZero()) throw new Rollback('ALREADY_FULLY_REVERSED');
    const amount = request.points instanceof Decimal ? request.points : left;
    if (amount.gt(left)) throw new Rollback('REVERSAL_EXCEEDS_REDEMPTION');

    const plan = planReversal(
      await this.reversals.openAllocations(tx, principal.orgId, redemption.id),
      amount,
      now,
    );
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
      redemptionCode: redemption.code,
      reversalCode: code,
      requested: amount,
      restored,
      expired,
      balance: wallet.balance,
    };
  }
}
