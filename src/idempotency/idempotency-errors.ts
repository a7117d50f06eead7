/** The header that marks a replayed answer. */
export const REPLAY_HEADER = 'Idempotent-Replayed';

/** The Idempotency-Key header is not 1-255 visible ASCII characters. */
export class InvalidIdempotencyKeyError extends Error {
  constructor() {
    super('Idempotency-Key must be 1-255 visible ASCII characters');
  }
}

/** The key was used before with a different request. */
export class IdempotencyKeyReusedError extends Error {
  constructor() {
    super('Idempotency-Key was already used with a different request');
  }
}

/** The first request with the key is still running. */
export class IdempotencyKeyBusyError extends Error {
  constructor() {
    super('A request with this Idempotency-Key is still in progress; retry later');
  }
}

/** Another request took over this key: this one must stop without writing. */
export class LeaseLostError extends Error {
  constructor() {
    super('Another request took over this Idempotency-Key; retry to get its response');
  }
}
