/** Too many failed sign-ins from this client address: refused before any password check. */
export class SignInThrottledError extends Error {
  constructor(
    readonly retryAfterSec: number,
    readonly limit: number,
  ) {
    super('too many failed sign-ins from this address');
  }
}

/** Too many password verifications are waiting already: come back shortly. */
export class SignInBusyError extends Error {
  constructor() {
    super('too many sign-ins are being verified');
  }
}
