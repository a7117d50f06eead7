import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { randomCode } from '../common/codes';
import { Decimal } from '../common/decimal';
import { Outcome } from '../common/outcome';
import { AdminCall, AuditLog } from '../audit/audit.service';
import { CustomerRow } from '../customers/customer.repository';
import { CustomersService } from '../customers/customers.service';
import { CustomerIdentifier } from '../customers/identifier';
import { normalizeMobile } from '../customers/mobile';
import { Db } from '../database/db';
import { OrgConfig } from '../programs/org-config.repository';
import { OrgSettings } from '../programs/org-settings';
import { Program } from '../programs/program.repository';
import { MissedCallRepository } from './missed-call.repository';
import { NotificationRepository, NotificationView } from './notification.repository';
import { OtpSecret } from './otp-secret';
import { CodeCheck, CodeVerdict, ValidationCodeRepository } from './validation-code.repository';
import { Sql } from '../database/db';

const OTP_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** What became of a request for a code, with the customer it was for when found. */
export interface IssueReport {
  outcome: Outcome;
  customer?: CustomerRow;
  points?: Decimal;
}

export type IssueResult =
  | { ok: true; outcome: 'VALIDATION_CODE_ISSUED' | 'VALIDATION_CODE_ISSUED_EMAIL' }
  | { ok: false; outcome: Outcome };

/**
 * Issues validation codes (OTPs): stored only as a keyed hash, delivered through the outbox.
 * Also the other ways a redemption is validated, as operators see them: missed calls, and
 * the outbox of messages.
 */
@Injectable()
export class ValidationCodeService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly codes: ValidationCodeRepository,
    private readonly customers: CustomersService,
    private readonly settings: OrgSettings,
    private readonly secret: OtpSecret,
    private readonly outbox: NotificationRepository,
    private readonly missedCalls: MissedCallRepository,
    private readonly audit: AuditLog,
  ) {
    // Out of demo mode, the readable copies demo mode kept of delivered codes go, in the
    // transaction of the change.
    settings.onChange(async (tx, orgId, patch) => {
      if (patch.demo_mode === false) await outbox.dropKeptTexts(tx, orgId);
    });
  }

  /**
   * Issues a code for a customer (by identifier), program (default: the org's default) and
   * amount: 816, 1101 and 801 (no amount) are reported in that order.
   */
  async issueFor(
    principal: Principal,
    request: {
      identifier: CustomerIdentifier;
      programId: number | 'invalid' | undefined;
      points: Decimal | Outcome;
    },
  ): Promise<IssueReport> {
    const config = await this.settings.config(principal.orgId);
    const [customer, program] = await Promise.all([
      this.customers.findByIdentifier(principal.orgId, request.identifier),
      request.programId === 'invalid'
        ? undefined
        : this.settings.program(principal.orgId, request.programId),
    ]);
    if (!customer) return { outcome: 'CUSTOMER_NOT_FOUND' };
    if (!program) return { outcome: 'UNKNOWN_PROGRAM', customer };
    // A code is good for at most the points it was issued for, so it needs them.
    if (!(request.points instanceof Decimal)) return { outcome: request.points, customer };
    const result = await this.issue(principal.orgId, customer, program, config, request.points);
    return { outcome: result.outcome, customer, points: request.points };
  }

  /**
   * Issues one code: within the customer's per-window limit, hashed, with its SMS or e-mail
   * written to the outbox in the same transaction.
   */
  async issue(
    orgId: number,
    customer: CustomerRow,
    program: Program,
    config: OrgConfig,
    points: Decimal,
  ): Promise<IssueResult> {
    const recipient = config.otp_channel === 'SMS' ? customer.mobile : customer.email;
    if (!recipient) return { ok: false, outcome: 'VALIDATION_CODE_ISSUE_FAILED' };
    const now = this.clock.now();
    const windowMs = config.otp_validity_minutes * 60_000;
    return this.db.transaction(async (tx) => {
      // One issue at a time per customer, so the limit cannot be raced past.
      await this.customers.lockForCodeIssue(tx, customer.org_id, customer.id);
      const recent = await this.codes.issuedSince(
        tx,
        customer.org_id,
        customer.id,
        new Date(now.getTime() - windowMs),
      );
      if (recent >= config.otp_issue_limit)
        return { ok: false, outcome: 'VALIDATION_CODE_ISSUE_LIMIT' } as const;
      const code = randomCode(config.otp_length, OTP_ALPHABET);
      await this.codes.insert(tx, {
        orgId,
        customerId: customer.id,
        programId: program.id,
        codeHash: this.secret.hash(customer.id, code),
        points: points.toString(),
        expiresAt: new Date(now.getTime() + windowMs),
        now,
      });
      const message = (shown: string) =>
        `Your validation code is ${shown} for redeeming ${points.toString()} points. ` +
        `It is valid for ${config.otp_validity_minutes} minutes.`;
      // The deliverable text is kept only until it is handed to the gateway (see OutboxSender).
      await this.outbox.insert(tx, {
        orgId,
        customerId: customer.id,
        channel: config.otp_channel,
        recipient,
        maskedText: message('*'.repeat(code.length)),
        clearText: message(code),
        now,
      });
      return {
        ok: true,
        outcome:
          config.otp_channel === 'SMS' ? 'VALIDATION_CODE_ISSUED' : 'VALIDATION_CODE_ISSUED_EMAIL',
      } as const;
    });
  }

  async recordMissedCall(principal: AdminCall, typed: string) {
    const at = this.clock.now();
    const mobile = await this.mobileOf(principal.orgId, typed);
    return this.db.transaction(async (tx) => {
      const id = await this.missedCalls.record(tx, principal.orgId, mobile, at);
      const call = { id, mobile, called_at: at };
      await this.audit.record(tx, principal, 'missed_call.record', ['missed_call', id], null, {
        ...call,
        id: String(id),
      });
      return call;
    });
  }

  listMissedCalls(principal: Principal) {
    return this.missedCalls.recent(this.db, principal.orgId, 100);
  }

  /** The outbox; texts carry the code masked unless the org is in demo mode. */
  listNotifications(principal: Principal, customerId?: number): Promise<NotificationView[]> {
    return this.outbox.listForAdmin(this.db, principal.orgId, customerId);
  }

  /**
   * A presented code held against the customer's live codes, in the redemption's
   * transaction (after its wallet's lock); a wrong code counts as an attempt.
   */
  check(tx: Sql, c: Omit<CodeCheck, 'codeHash'> & { code: string }): Promise<CodeVerdict> {
    const { code, ...rest } = c;
    return this.codes.check(tx, { ...rest, codeHash: this.secret.hash(c.customerId, code) });
  }

  /**
   * Locks the latest missed call from the customer's mobile since `since` that no
   * redemption has used; its id.
   */
  lockMissedCall(
    tx: Sql,
    c: { orgId: number; mobile: string; since: Date; now: Date },
  ): Promise<number | undefined> {
    return this.missedCalls.lockOpen(tx, c.orgId, c.mobile, c.since, c.now);
  }

  /**
   * What validated a redemption is used up by it: every live code of the customer in the
   * program, or the missed call.
   */
  async consume(
    tx: Sql,
    used: { orgId: number; customerId: number; programId: number; redemptionId: number },
    by: { code: true } | { missedCallId: number },
    now: Date,
  ): Promise<void> {
    const { orgId, customerId, programId, redemptionId } = used;
    if ('code' in by) {
      await this.codes.consumeAll(tx, orgId, customerId, programId, redemptionId, now);
    } else {
      await this.missedCalls.consume(tx, orgId, by.missedCallId, redemptionId, now);
    }
  }

  /** A mobile number as typed, in the org's one form. */
  private async mobileOf(orgId: number, typed: string): Promise<string> {
    return normalizeMobile(typed, await this.settings.config(orgId));
  }
}
