import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { batchStatus, v11Envelope } from '../capillary/envelope';
import { itemStatus } from '../capillary/status-codes';
import { Clock } from '../common/clock';
import { randomCode } from '../common/codes';
import { Decimal } from '../common/decimal';
import { Outcome } from '../common/outcome';
import { parsePoints } from '../common/points-input';
import { CustomerRepository, CustomerRow } from '../customers/customer.repository';
import { pickIdentifier } from '../customers/identifier';
import { customerIdentifiers } from '../customers/customers.service';
import { Db } from '../database/db';
import { OrgConfig } from '../programs/org-config.repository';
import { OrgSettings } from '../programs/org-settings';
import { Program } from '../programs/program.repository';
import { queryValue } from '../redemptions/redeem-request';
import { OtpSecret } from './otp-secret';
import { ValidationCodeRepository } from './validation-code.repository';

const OTP_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export type IssueResult =
  | { ok: true; outcome: 'VALIDATION_CODE_ISSUED' | 'VALIDATION_CODE_ISSUED_EMAIL' }
  | { ok: false; outcome: Outcome };

/** Issues validation codes (OTPs): stored only as a keyed hash, delivered through the outbox. */
@Injectable()
export class ValidationCodeService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly codes: ValidationCodeRepository,
    private readonly customers: CustomerRepository,
    private readonly settings: OrgSettings,
    private readonly secret: OtpSecret,
  ) {}

  /** `GET /v1.1/points/validationcode`. */
  async issueFromQuery(principal: Principal, query: Record<string, unknown>): Promise<unknown> {
    const respond = (outcome: Outcome, customer?: CustomerRow, points = '') =>
      v11Envelope(batchStatus(itemStatus(outcome).success === 'true' ? 1 : 0, 1), {
        validation_code: {
          code: { ...customerIdentifiers(customer), points, item_status: itemStatus(outcome) },
        },
      });
    const identifier = pickIdentifier(query);
    if (typeof identifier === 'string') return respond('MISSING_CUSTOMER_IDENTIFIER');
    const rawPoints = queryValue(query, 'points');
    const parsed = parsePoints(rawPoints);
    if (!parsed.ok && rawPoints !== undefined && rawPoints !== '') return respond(parsed.outcome);
    const programParam = queryValue(query, 'program_id');
    const programId = programParam
      ? /^[1-9]\d{0,9}$/.test(programParam) && Number(programParam) <= 2147483647
        ? Number(programParam)
        : -1
      : undefined;
    const [customer, program, config] = await Promise.all([
      this.customers.findByIdentifier(this.db, principal.orgId, identifier),
      programId === -1 ? undefined : this.settings.program(principal.orgId, programId),
      this.settings.config(principal.orgId),
    ]);
    if (!customer) return respond('CUSTOMER_NOT_FOUND');
    if (!program) return respond('UNKNOWN_PROGRAM', customer);
    // A code is good for at most the points it was issued for, so it needs them.
    if (!parsed.ok) return respond(parsed.outcome, customer);
    const points = parsed.points;
    const result = await this.issue(principal.orgId, customer, program, config, points);
    return respond(result.outcome, customer, points.toString());
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
      // Serialises issues for one customer so the limit cannot be raced past (NO KEY: it
      // must not block redemptions, whose foreign keys take a key-share lock on the row).
      await tx.query('SELECT id FROM customer WHERE id = $1 FOR NO KEY UPDATE', [customer.id]);
      const recent = await this.codes.issuedSince(
        tx,
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
      await tx.query(
        `INSERT INTO notification (org_id, customer_id, channel, recipient, text, clear_text, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          orgId,
          customer.id,
          config.otp_channel,
          recipient,
          message('*'.repeat(code.length)),
          message(code),
          now,
        ],
      );
      return {
        ok: true,
        outcome:
          config.otp_channel === 'SMS' ? 'VALIDATION_CODE_ISSUED' : 'VALIDATION_CODE_ISSUED_EMAIL',
      } as const;
    });
  }
}
