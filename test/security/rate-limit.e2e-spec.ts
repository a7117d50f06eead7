import { randomBytes } from 'node:crypto';
import request, { Response } from 'supertest';
import { Db } from '../../src/database/db';
import { seedDemo } from '../../src/seed/seed';
import { redeem, writeCounts } from '../support/api';
import { basic, DEMO_MOBILE, DEMO_TILL, READONLY_TILL } from '../support/credentials';
import { createTestDatabase, startTestApp, TestApp, TestDatabase } from '../support/test-app';

const describeRedis = process.env.REDIS_URL ? describe : describe.skip;
if (!process.env.REDIS_URL) {
  console.warn('REDIS_URL not set: skipping the shared rate-limit test');
}

const customerGet = (t: TestApp, auth = DEMO_TILL) =>
  request(t.url)
    .get('/v1.1/customer/get')
    .query({ mobile: DEMO_MOBILE })
    .set('Authorization', auth);

function expectAllowed(res: Response, limit: number, remaining: number): void {
  expect(res.status).toBe(200);
  expect(res.body.response.status.code).toBe(200);
  expect(res.headers['x-ratelimit-limit']).toBe(String(limit));
  expect(res.headers['x-ratelimit-remaining']).toBe(String(remaining));
  expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
}

function expectLimited(res: Response, limit: number): void {
  expect(res.status).toBe(429);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['x-cap-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.body).toEqual({
    response: { status: { success: 'false', code: 429, message: expect.any(String) } },
  });
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(res.headers['x-ratelimit-limit']).toBe(String(limit));
  expect(res.headers['x-ratelimit-remaining']).toBe('0');
  expect(res.headers['x-ratelimit-reset']).toBeDefined();
}

describe('rate limit per till (in memory)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('ratelimit', { RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('5 requests pass with the budget counting down, the 6th is 429', async () => {
    for (let i = 1; i <= 5; i++) expectAllowed(await customerGet(t), 5, 5 - i);

    // the 6th is a write: it must be refused before it touches anything
    const before = await writeCounts(t);
    const limited = await redeem(t, { points_redeemed: 1, customer: { mobile: DEMO_MOBILE } });
    expectLimited(limited, 5);
    expect(await writeCounts(t)).toEqual(before);

    expectLimited(await customerGet(t), 5);
  });

  it('another till from the same address has its own budget (per till, not per IP)', async () => {
    expectAllowed(await customerGet(t, READONLY_TILL), 5, 4);
    expectAllowed(await customerGet(t, READONLY_TILL), 5, 3);
    // and demo.till is still limited
    expectLimited(await customerGet(t), 5);
  });
});

describeRedis('rate limit shared through Redis by two instances', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const env = {
      RATE_LIMIT_PER_MINUTE: '6',
      AUTH_FAILURES_PER_MINUTE: '4',
      REDIS_URL: process.env.REDIS_URL ?? '',
      REDIS_KEY_PREFIX: `test-${randomBytes(6).toString('hex')}:`,
    };
    db = await createTestDatabase('ratelimit_redis');
    a = await startTestApp('ratelimit_redis', env, db);
    await a.app.get(Db).transaction((tx) => seedDemo(tx));
    b = await startTestApp('ratelimit_redis', env, db);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('6 requests in total across A and B pass, the 7th is 429 on either', async () => {
    const apps = [a, b];
    for (let i = 1; i <= 6; i++) {
      expectAllowed(await customerGet(apps[(i - 1) % 2]), 6, 6 - i);
    }
    expectLimited(await customerGet(a), 6);
    expectLimited(await customerGet(b), 6);
  });

  it('another till still has its own shared budget', async () => {
    expectAllowed(await customerGet(b, READONLY_TILL), 6, 5);
    expectAllowed(await customerGet(a, READONLY_TILL), 6, 4);
  });

  // Last: it locks the address the other tests sign in from.
  it('failed sign-ins from one address are counted across A and B: 2 + 2, then both refuse even the right password', async () => {
    const wrong = basic('readonly.till', 'not-the-password');
    for (const app of [a, b, a, b]) expect((await customerGet(app, wrong)).status).toBe(401);
    for (const app of [a, b]) {
      const res = await customerGet(app, basic('demo.admin', 'admin.pass'));
      expect(res.status).toBe(429);
      expect(res.headers['x-ratelimit-limit']).toBe('4');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
  });
});
