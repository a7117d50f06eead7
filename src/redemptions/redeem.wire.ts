import { HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { batchStatus, v11Envelope } from '../capillary/envelope';
import { ITEM_CODES, itemStatus } from '../capillary/status-codes';
import { countSideEffects, Metrics } from '../metrics/metrics';
import { rawJson, stringifyWireJson, wireId, wireNumber } from '../capillary/wire-json';
import { saysRetry } from '../common/outcome';
import { WireRequest } from '../capillary/wire-request';
import { requestFingerprint, WireResponse } from '../capillary/wire-response';
import { Env } from '../config/env';
import { ItemJournal } from '../idempotency/idempotency.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { parseFields } from '../capillary/wire-schema';
import {
  ISREDEEMABLE_QUERY_FIELDS,
  itemFromQuery,
  parseRedeemBody,
  parseRedeemQuery,
} from './redeem-request';
import { RedeemItemResult, RedemptionService } from './redemption.service';

/** What an item stores for replay under an Idempotency-Key: its finished JSON, as text. */
interface StoredItem {
  ok: boolean;
  json: string;
}

/** One item of `responses.points`, as Capillary clients read it. */
export function redeemItemJson(r: RedeemItemResult): Record<string, unknown> {
  const head = {
    ...r.identity,
    ...(r.redeemed ? { redemption_id: r.redeemed.code } : {}),
    points_redeemed: r.points?.toString() ?? '',
    redemption_purpose: r.purpose,
  };
  if (!r.redeemed) {
    return {
      ...head,
      redeemed_value: 0,
      redeemed_local_value: 0,
      side_effects: { effect: [] },
      item_status: itemStatus(r.outcome),
    };
  }
  const value = wireNumber(r.redeemed.value);
  return {
    ...head,
    redeemed_value: value,
    redeemed_local_value: value,
    balance: wireNumber(r.redeemed.balance),
    side_effects: {
      effect: [
        {
          id: r.redeemed.id,
          case_value: 'false',
          num_points: wireNumber(r.points!),
          currency_value: value,
          validation_code: r.redeemed.maskedValidationCode,
          points_redemption_summary_id: wireId(r.redeemed.id),
          redeemed_on_bill_number: r.redeemed.billNumber,
          redeemed_on_bill_id: -1,
          type: 'points',
        },
      ],
    },
    item_status: itemStatus(r.outcome),
  };
}

/** `POST|GET /v1.1/points/redeem` and `GET /v1.1/points/isredeemable` on the wire. */
@Injectable()
export class RedeemWire {
  private readonly maxBatch: number;

  constructor(
    private readonly redemptions: RedemptionService,
    private readonly idempotency: IdempotencyService,
    private readonly metrics: Metrics,
    config: ConfigService<Env, true>,
  ) {
    this.maxBatch = config.get('MAX_BATCH', { infer: true });
  }

  async redeem({
    principal,
    requestId,
    query: rawQuery,
    body,
    idempotencyKey,
  }: WireRequest): Promise<WireResponse> {
    const items = parseRedeemBody(body, this.maxBatch);
    const query = parseRedeemQuery(rawQuery);
    const hash = () => requestFingerprint('redeem', '/v1.1/points/redeem', rawQuery, body);
    const response = await this.idempotency.run(
      principal.orgId,
      idempotencyKey,
      hash,
      async (journal) => {
        const result = await this.redemptions.redeem(
          { principal, requestId, query, items },
          journal && storingJson(journal),
        );
        const program = String(result.programId ?? 'none');
        const shown = result.items.map((i) => {
          if ('replayed' in i) {
            const stored = i.replayed as StoredItem;
            return { ok: stored.ok, json: rawJson(stored.json) };
          }
          this.metrics.redemptions.inc({ code: ITEM_CODES[i.outcome].code, program });
          countSideEffects(this.metrics, i.outcome);
          return { ok: i.outcome === 'REDEEMED', json: redeemItemJson(i) };
        });
        const successes = shown.filter((i) => i.ok).length;
        const points = shown.length === 1 ? shown[0].json : shown.map((i) => i.json);
        return {
          status:
            successes === 0 && result.failedItemHttpStatus === 400
              ? HttpStatus.BAD_REQUEST
              : HttpStatus.OK,
          body: stringifyWireJson(
            v11Envelope(batchStatus(successes, shown.length), { responses: { points } }),
          ),
          // A lock timeout says "retry": the retry must run, not replay this answer.
          keep: !result.items.some((i) => 'outcome' in i && saysRetry(i.outcome)),
        };
      },
    );
    return WireResponse.from(response);
  }

  async isRedeemable({ principal, requestId, query }: WireRequest): Promise<unknown> {
    const r = await this.redemptions.isRedeemable(
      principal,
      requestId,
      parseRedeemQuery(query),
      itemFromQuery(query),
      parseFields(ISREDEEMABLE_QUERY_FIELDS, query).issue_otp,
    );
    countSideEffects(this.metrics, r.outcome);
    if (r.issued) countSideEffects(this.metrics, 'VALIDATION_CODE_ISSUED');
    const ok = r.outcome === 'REDEEMABLE';
    return v11Envelope(batchStatus(ok ? 1 : 0, 1), {
      points: {
        redeemable: {
          ...r.identity,
          points: r.points?.toString() ?? '',
          is_redeemable: ok ? 'true' : 'false',
          points_redeem_value: wireNumber(r.value),
          points_redeem_local_value: wireNumber(r.value),
          points_currency_ratio: wireNumber(r.ratio),
          input_type: 'points',
          item_status: itemStatus(r.outcome),
        },
      },
    });
  }
}

/** A journal that keeps each item as the JSON it was answered with. */
function storingJson(journal: ItemJournal): ItemJournal {
  return {
    done: (index) => journal.done(index),
    record: (sql, index, outcome) => {
      const result = outcome as RedeemItemResult;
      const stored: StoredItem = {
        ok: result.outcome === 'REDEEMED',
        json: stringifyWireJson(redeemItemJson(result)),
      };
      return journal.record(sql, index, stored);
    },
  };
}
