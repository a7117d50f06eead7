import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { randomCode, REDEMPTION_CODE_LENGTH } from '../common/codes';
import { Decimal } from '../common/decimal';
import { Outcome, Refusal, refuse, Rollback, saysRetry } from '../common/outcome';
import { CustomersService } from '../customers/customers.service';
import { identifierFromTypeValue } from '../customers/identifier';
import { Db, LockTimeoutError, Sql } from '../database/db';
import { ItemJournal } from '../idempotency/idempotency.service';
import { LedgerService } from '../ledger/ledger.service';
import { checkReversal } from './reversal-rules';
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

export type ReverseResult = { ok: true; reversed: Reversed } | Refusal;

/** `POST /v2/points/reverse`: gives a redemption's points back to the lots they came from. */
@Injectable()
export class ReversalService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly reversals: ReversalRepository,
    private readonly ledger: LedgerService,
    private readonly customers: CustomersService,
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
    if (!checked.ok) {
      result = checked;
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
            const ok = { ok: true as const, reversed };
            await journal?.record(tx, 0, ok);
            return ok;
          },
          { retryOnConstraints: ['reversal_org_id_code_key'] },
        );
      } catch (err) {
        if (err instanceof Rollback) result = err.refusal;
        else if (err instanceof LockTimeoutError) result = refuse('WALLET_LOCKED');
        else throw err;
      }
    }
    if (journal && journal.done(0) === undefined && !result.ok && !saysRetry(result.outcome)) {
      await journal.record(this.db, 0, result);
    }
    return result;
  }

  /** Checks that need no lock: the redemption exists here, the amount is sane, the customer matches. */
  private async check(
    principal: Principal,
    request: ReverseRequest,
  ): Promise<Refusal | { ok: true; redemption: RedemptionRef }> {
    if (request.points !== undefined && !(request.points instanceof Decimal))
      return refuse(request.points.outcome);
    if (!request.by) return refuse('REDEMPTION_NOT_FOUND');
    const redemption = await this.reversals.findRedemption(this.db, principal.orgId, request.by);
    if (!redemption) return refuse('REDEMPTION_NOT_FOUND');
    if (
      request.points instanceof Decimal &&
      request.points.decimalPlaces > redemption.decimalPlaces
    )
      return refuse('INVALID_PRECISION');
    if (request.identifier) {
      const identifier = identifierFromTypeValue(request.identifier.type, request.identifier.value);
      const customer =
        identifier && (await this.customers.findByIdentifier(principal.orgId, identifier));
      if (!customer || customer.id !== redemption.customerId) return refuse('IDENTIFIER_MISMATCH');
    }
    return { ok: true, redemption };
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
    const orgId = principal.orgId;
    const at = {
      now: this.clock.now(),
      actor: { type: actorType, id: principal.userId, requestId },
    };
    const target = { orgId, walletId: redemption.walletId };
    return this.ledger.withLockedWallet(tx, target, at, async (wallet) => {
      const remaining = await this.reversals.lockRemaining(tx, orgId, redemption.id);
      const amount = request.points instanceof Decimal ? request.points : remaining.left;
      const refused = checkReversal(amount, remaining, redemption);
      if (refused) throw new Rollback(refuse(refused));
      const code = randomCode(REDEMPTION_CODE_LENGTH);
      const done = await wallet.refill(redemption.id, amount, code);
      return {
        orgId,
        customerId: redemption.customerId,
        redemptionCode: redemption.code,
        reversalCode: code,
        requested: amount,
        restored: done.restored,
        expired: done.expired,
        balance: done.balance,
      };
    });
  }
}
