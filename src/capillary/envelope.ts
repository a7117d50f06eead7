/** Capillary's booleans are the strings "true" and "false"; clients compare with ===. */
export type CapBool = 'true' | 'false';

export const capBool = (b: boolean): CapBool => (b ? 'true' : 'false');

export interface Status {
  success: CapBool;
  code: number;
  message: string;
}

export function status(success: boolean, code: number, message: string): Status {
  return { success: capBool(success), code, message };
}

/** The v1.1 envelope: `{"response":{"status":{…}, …body}}`. */
export function v11Envelope(st: Status, body: Record<string, unknown> = {}): { response: unknown } {
  return { response: { status: st, ...body } };
}

/** The v2 error body: `{"errors":[{"code","message"}]}`. */
export function v2Errors(
  code: number,
  message: string,
): { errors: { code: number; message: string }[] } {
  return { errors: [{ code, message }] };
}

/** Request `status` for a batch of item outcomes: 200 all good, 201 some failed, 500 all failed. */
export function batchStatus(successes: number, total: number): Status {
  if (successes === total) return status(true, 200, 'Success');
  if (successes === 0) return status(false, 500, 'All requests have failed due to errors');
  return status(false, 201, 'Some requests have failed due to errors');
}
