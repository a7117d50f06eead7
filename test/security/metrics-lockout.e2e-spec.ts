import request from 'supertest';
import { makeCustomer, redeem } from '../support/api';
import { codeFromText, issueCode, issuedOf, notificationsOf } from '../support/otp-helpers';
import { itemOf } from '../support/redeem-helpers';
import { startTestApp, TestApp } from '../support/test-app';

// Security review, finding 7: the API answers a wrong code and a locked-out customer with
// the same 808 so that a guesser cannot tell when guessing stopped counting; /metrics must
// not tell them apart either.
jest.setTimeout(60_000);

const TOKEN = 'metrics-token-for-the-lockout-test';
const SERIES = 'points_validation_codes_total';

/** The validation-code series of a scrape, by `name{labels}`. */
async function codeSeries(t: TestApp): Promise<Map<string, number>> {
  const res = await request(t.url).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
  expect(res.status).toBe(200);
  const out = new Map<string, number>();
  for (const line of res.text.split('\n')) {
    if (!line.startsWith(`${SERIES}{`)) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

/** What changed between two scrapes: series that moved, by how much. */
function moved(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of after) {
    const delta = value - (before.get(key) ?? 0);
    if (delta !== 0) out[key] = delta;
  }
  return out;
}

describe('security review: a lockout and a wrong code look the same on /metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('metrics_lockout', {
      METRICS_TOKEN: TOKEN,
      RATE_LIMIT_PER_MINUTE: '100000',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the wrong code and the locked-out try each move the one series {event="refused"} by one', async () => {
    const config = await request(t.url)
      .get('/admin/config')
      .set('Authorization', `Basic ${Buffer.from('demo.admin:admin.pass').toString('base64')}`);
    const maxAttempts = (config.body as { otp_max_attempts: number }).otp_max_attempts;
    expect(maxAttempts).toBeGreaterThan(1);

    const customer = await makeCustomer(t, [{ points: 100 }]);
    const issued = await issueCode(t, { mobile: customer.mobile, points: '10' });
    expect(issuedOf(issued).item_status.code).toBe(200);
    const code = codeFromText((await notificationsOf(t, customer.id))[0].text);
    const wrong =
      code === 'A'.repeat(code.length) ? 'B'.repeat(code.length) : 'A'.repeat(code.length);
    const attempt = async (presented: string) => {
      const res = await redeem(
        t,
        { points_redeemed: 1, customer: { mobile: customer.mobile }, validation_code: presented },
        {},
      );
      expect(itemOf(res).item_status.code).toBe(808);
    };
    const failedAttempts = async () =>
      (
        await t.pg.query<{ n: number }>(
          'SELECT max(failed_attempts)::int AS n FROM validation_code WHERE customer_id = $1',
          [customer.id],
        )
      ).rows[0].n;

    // A wrong code, with tries left.
    let before = await codeSeries(t);
    await attempt(wrong);
    const wrongMoved = moved(before, await codeSeries(t));
    expect(await failedAttempts()).toBe(1);

    // Use up the tries, then present the right code: it is refused as locked out.
    for (let i = 1; i < maxAttempts; i++) await attempt(wrong);
    expect(await failedAttempts()).toBe(maxAttempts);
    before = await codeSeries(t);
    await attempt(code);
    const lockedMoved = moved(before, await codeSeries(t));

    expect(wrongMoved).toEqual({ [`${SERIES}{event="refused"}`]: 1 });
    expect(lockedMoved).toEqual(wrongMoved);
    const all = await codeSeries(t);
    expect([...all.keys()].filter((k) => k.includes('locked'))).toEqual([]);
  });
});
