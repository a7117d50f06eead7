/** A finished response: HTTP status and the exact body text (replayable byte for byte). */
export class WireResponse {
  constructor(
    readonly httpStatus: number,
    readonly body: string,
    readonly headers: Record<string, string> = {},
  ) {}
}
