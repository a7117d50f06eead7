import request from 'supertest';

/** The value at `path` inside parsed JSON, or undefined when any step is missing. */
export function dig(value: unknown, ...path: (string | number)[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

/** Asserts a v2 error: the HTTP status and exactly one `{code, message}` with a message. */
export function expectV2Error(res: request.Response, httpStatus: number, code: number): void {
  expect({ status: res.status, body: res.body as unknown }).toEqual({
    status: httpStatus,
    body: { errors: [{ code, message: expect.any(String) }] },
  });
  const body = res.body as { errors: { message: string }[] };
  expect(body.errors[0].message.length).toBeGreaterThan(0);
}
