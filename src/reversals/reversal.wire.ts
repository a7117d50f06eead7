import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../capillary/api-error';
import { v2Errors } from '../capillary/envelope';
import { ITEM_CODES } from '../capillary/status-codes';
import { isWireObject, stringifyWireJson, wireNumber } from '../capillary/wire-json';
import { requestFingerprint, WireResponse } from '../capillary/wire-response';
import { field, objectSchema, parseFields } from '../capillary/wire-schema';
import { WireFormat } from '../capillary/wire-format';
import { WireRequest } from '../capillary/wire-request';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { Outcome, saysRetry } from '../common/outcome';
import { parsePoints } from '../common/points-input';
import { scalarText } from '../customers/identifier';
import { Finished, IdempotencyService, ItemJournal } from '../idempotency/idempotency.service';
import { countSideEffects, Metrics } from '../metrics/metrics';
import { Reversed, ReversalService, ReverseRequest, ReverseResult } from './reversal.service';

const HTTP_FOR: Partial<Record<Outcome, number>> = {
  REDEMPTION_NOT_FOUND: HttpStatus.NOT_FOUND,
  ALREADY_FULLY_REVERSED: HttpStatus.CONFLICT,
  TOO_MANY_REVERSALS: HttpStatus.CONFLICT,
  WALLET_LOCKED: HttpStatus.SERVICE_UNAVAILABLE,
};

const idText = (doc: SchemaObject) =>
  field({ oneOf: [{ type: 'string' }, { type: 'number' }], ...doc }, scalarText);

/** The reverse body: which redemption, how many points, whose. */
export const REVERSE_FIELDS = {
  redemptionId: idText({ example: 'r0njPT', description: 'the redemption_id redeem answered' }),
  externalReferenceNumber: idText({ description: "or the redemption's external_reference_number" }),
  pointsToBeReversed: field(
    {
      oneOf: [{ type: 'number' }, { type: 'string' }],
      example: 2,
      description: 'default: everything not yet reversed',
    },
    (raw): ReverseRequest['points'] => {
      if (raw === undefined || raw === null || raw === '') return undefined;
      const parsed = parsePoints(raw);
      return parsed.ok ? parsed.points : { outcome: parsed.outcome };
    },
  ),
  identifier: field(
    {
      type: 'object',
      properties: { type: { type: 'string', example: 'mobile' }, value: { type: 'string' } },
      description: "when given, must be the redemption's customer (816 otherwise)",
    },
    (raw): ReverseRequest['identifier'] => {
      const id = isWireObject(raw) ? raw : undefined;
      // An identifier with a value must match; only an absent or empty value means "none given".
      const given =
        id !== undefined && id.value !== undefined && id.value !== null && id.value !== '';
      return given ? { type: id.type, value: id.value } : undefined;
    },
  ),
};

export const REVERSE_BODY_SCHEMA = objectSchema(REVERSE_FIELDS);

/**
 * The v2 body into a request: ids and amount as clients send them (numbers or strings). In
 * XML the same fields sit under `<root>`.
 */
export function parseReverseBody(document: unknown, format: WireFormat = 'json'): ReverseRequest {
  const body = format === 'xml' && isWireObject(document) ? document.root : document;
  if (format === 'xml' && !isWireObject(body)) {
    throw ApiError.badRequest(
      'XML body must be <root> holding <redemptionId> or <externalReferenceNumber>',
    );
  }
  if (!isWireObject(body)) {
    throw ApiError.badRequest(
      'Body must be a JSON object with redemptionId or externalReferenceNumber',
    );
  }
  const f = parseFields(REVERSE_FIELDS, body);
  const code = f.redemptionId;
  const ern = f.externalReferenceNumber;
  return {
    by: code ? { code } : ern ? { externalReferenceNumber: ern } : undefined,
    points: f.pointsToBeReversed,
    identifier: f.identifier,
  };
}

function reversedJson(r: Reversed) {
  return {
    orgId: r.orgId,
    customerId: r.customerId,
    redemptionId: r.redemptionCode,
    reversalId: r.reversalCode,
    pointsToBeReversed: wireNumber(r.requested),
    pointsReversed: wireNumber(r.restored),
    pointsReversedDetails: { available: wireNumber(r.restored), expired: wireNumber(r.expired) },
    balance: wireNumber(r.balance),
    warnings: r.expired.isPositive()
      ? [
          {
            message: `${r.expired.toString()} points had expired since the redemption and were not restored`,
          },
        ]
      : [],
  };
}

/** The answer for a reversal's result: 200 with the reversal, or a v2 error. */
function finished(result: ReverseResult): Finished {
  if ('reversed' in result) {
    return {
      status: HttpStatus.OK,
      body: stringifyWireJson(reversedJson(result.reversed)),
      keep: true,
    };
  }
  const { code, message } = ITEM_CODES[result.outcome];
  return {
    status: HTTP_FOR[result.outcome] ?? HttpStatus.BAD_REQUEST,
    body: stringifyWireJson(v2Errors(code, message)),
    keep: !saysRetry(result.outcome),
  };
}

/** What a reversal stores under an Idempotency-Key: its finished answer. */
interface StoredAnswer {
  ok: boolean;
  json: string;
  status: number;
}

/** `POST /v2/points/reverse` on the wire. */
@Injectable()
export class ReversalWire {
  constructor(
    private readonly reversals: ReversalService,
    private readonly idempotency: IdempotencyService,
    private readonly metrics: Metrics,
  ) {}

  async reverse({
    principal,
    requestId,
    body,
    bodyFormat,
    idempotencyKey,
  }: WireRequest): Promise<WireResponse> {
    const request = parseReverseBody(body, bodyFormat);
    const hash = () => requestFingerprint('reverse', '/v2/points/reverse', {}, body);
    const response = await this.idempotency.run(
      principal.orgId,
      idempotencyKey,
      hash,
      async (journal) => {
        const stored = journal?.done(0) as StoredAnswer | undefined;
        if (stored) return { status: stored.status, body: stored.json, keep: true };
        const result = await this.reversals.reverse(
          principal,
          requestId,
          request,
          journal && storingAnswer(journal),
        );
        this.metrics.reversals.inc({
          code: 'reversed' in result ? 200 : ITEM_CODES[result.outcome].code,
        });
        if (!('reversed' in result)) countSideEffects(this.metrics, result.outcome);
        return finished(result);
      },
    );
    return WireResponse.from(response);
  }
}

/** A journal that keeps the reversal as the answer it was given. */
function storingAnswer(journal: ItemJournal): ItemJournal {
  return {
    done: (index) => journal.done(index),
    record: (sql, index, outcome) => {
      const answer = finished(outcome as ReverseResult);
      const stored: StoredAnswer = {
        ok: answer.status === 200,
        json: answer.body,
        status: answer.status,
      };
      return journal.record(sql, index, stored);
    },
  };
}
