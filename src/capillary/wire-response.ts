import { createHash } from 'node:crypto';
import { REPLAY_HEADER } from '../idempotency/idempotency-errors';
import { StoredResponse } from '../idempotency/idempotency.service';
import { stringifyWireJson } from './wire-json';

/** A finished response: HTTP status and the exact body text (replayable byte for byte). */
export class WireResponse {
  constructor(
    readonly httpStatus: number,
    readonly body: string,
    readonly headers: Record<string, string> = {},
  ) {}

  /** What the idempotency layer answered: run now, or the replay of an earlier answer. */
  static from(stored: StoredResponse): WireResponse {
    return new WireResponse(
      stored.status,
      stored.body,
      stored.replayed ? { [REPLAY_HEADER]: 'true' } : {},
    );
  }
}

/** What makes two requests the same request under one Idempotency-Key. */
export function requestFingerprint(
  method: string,
  path: string,
  query: unknown,
  body: unknown,
): string {
  return createHash('sha256')
    .update(
      `${method} ${path}\n${stringifyWireJson(query ?? {})}\n${stringifyWireJson(body ?? null)}`,
    )
    .digest('hex');
}
