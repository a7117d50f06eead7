/** A finished response: HTTP status and the exact body text (replayable byte for byte). */
export class WireResponse {
  constructor(
    readonly httpStatus: number,
    readonly body: string,
    readonly headers: Record<string, string> = {},
    /**
     * Holds an answer that says "retry" (a wallet lock timed out): it must not be stored
     * under an Idempotency-Key, or the retry it asks for would only replay it.
     */
    readonly transient = false,
  ) {}
}
