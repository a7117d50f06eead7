import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { batchStatus, v11Envelope } from '../capillary/envelope';
import { firstValue } from '../capillary/query';
import { field, parseFields } from '../capillary/wire-schema';
import { itemStatus } from '../capillary/status-codes';
import { parseId } from '../common/ids';
import { Outcome } from '../common/outcome';
import { parsePoints } from '../common/points-input';
import { customerIdentity } from '../customers/customer-identity';
import { CustomerRow } from '../customers/customer.repository';
import { IDENTIFIER_QUERY_FIELDS, pickIdentifier } from '../customers/identifier';
import { countSideEffects, Metrics } from '../metrics/metrics';
import { ValidationCodeService } from './validation-code.service';

/** The validationcode query: who, how many points, which program. */
export const VALIDATION_CODE_QUERY_FIELDS = {
  ...IDENTIFIER_QUERY_FIELDS,
  points: field(
    { type: 'string', example: '10', description: 'the code is good for at most these points' },
    firstValue,
    true,
  ),
  program_id: field(
    { type: 'integer', description: "default: the org's default program" },
    firstValue,
  ),
};

/** `GET /v1.1/points/validationcode` on the wire. */
@Injectable()
export class ValidationCodeWire {
  constructor(
    private readonly codes: ValidationCodeService,
    private readonly metrics: Metrics,
  ) {}

  async issue(principal: Principal, query: Record<string, unknown>): Promise<unknown> {
    const respond = (outcome: Outcome, customer?: CustomerRow, points = '') =>
      v11Envelope(batchStatus(itemStatus(outcome).success === 'true' ? 1 : 0, 1), {
        validation_code: {
          code: { ...customerIdentity(customer), points, item_status: itemStatus(outcome) },
        },
      });
    const q = parseFields(VALIDATION_CODE_QUERY_FIELDS, query);
    const identifier = pickIdentifier(q);
    if (typeof identifier === 'string') return respond('MISSING_CUSTOMER_IDENTIFIER');
    const rawPoints = q.points;
    const parsed = parsePoints(rawPoints);
    // Points given but unusable are refused at once; missing ones after the lookups.
    if (!parsed.ok && rawPoints !== undefined && rawPoints !== '') return respond(parsed.outcome);
    const program = q.program_id;
    const report = await this.codes.issueFor(principal, {
      identifier,
      programId: program ? (parseId(program) ?? 'invalid') : undefined,
      points: parsed.ok ? parsed.points : parsed.outcome,
    });
    countSideEffects(this.metrics, report.outcome);
    return respond(report.outcome, report.customer, report.points?.toString() ?? '');
  }
}
