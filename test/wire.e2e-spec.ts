import request, { Response as Res } from 'supertest';
import { admin, makeCustomer, redeem, writeCounts } from './support/api';
import { DEMO_MOBILE, DEMO_TILL } from './support/credentials';
import { startTestApp, TestApp } from './support/test-app';

/** What no error body may ever contain: stack frames, SQL, module paths. */
const LEAK = /at \w+ \(|SELECT|INSERT|UPDATE |node_modules/;

function expectEnvelope(res: Res, httpStatus: number): void {
  expect(res.status).toBe(httpStatus);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['x-cap-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.body.response.status).toEqual({
    success: 'false',
    code: httpStatus,
    message: expect.any(String),
  });
  expect(res.body.response.status.message.length).toBeGreaterThan(0);
  expect(res.text).not.toMatch(LEAK);
}

describe('wire: the HTTP surface real point-of-sale clients meet', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('wire');
  });
  afterAll(async () => {
    await t.close();
  });

  /** Runs a request that must fail and checks that it wrote nothing. */
  async function failsWithoutWrites(send: () => PromiseLike<unknown>): Promise<Res> {
    const before = await writeCounts(t);
    const res = (await send()) as Res;
    expect(await writeCounts(t)).toEqual(before);
    return res;
  }

  const post = (path: string) => request(t.url).post(path).set('Authorization', DEMO_TILL);
  /** POST /v1.1/points/redeem?skip_validation=true with a JSON body. */
  const redeemJson = (text: string) =>
    post('/v1.1/points/redeem')
      .query({ skip_validation: 'true' })
      .set('Content-Type', 'application/json')
      .send(text);
  const redeemBody = (points: string, mobile = DEMO_MOBILE) =>
    `{"root":{"redeem":{"points_redeemed":${points},"customer":{"mobile":"${mobile}"}}}}`;

  describe('malformed requests are 400 in the v1.1 envelope', () => {
    it.each([
      ['truncated JSON', '{"root":{"redeem":'],
      ['not JSON at all', 'hello'],
      ['a trailing comma', '{"root":{"redeem":{"points_redeemed":1,}}}'],
      ['single quotes', "{'root':{}}"],
      ['two documents', '{"root":{}}{"root":{}}'],
    ])('%s', async (_label, text) => {
      const res = await failsWithoutWrites(() => redeemJson(text));
      expectEnvelope(res, 400);
    });

    it.each([
      ['root.redeem = 5', '{"root":{"redeem":5}}'],
      ['root.redeem = "x"', '{"root":{"redeem":"x"}}'],
      ['root.redeem = []', '{"root":{"redeem":[]}}'],
      ['root.redeem = null', '{"root":{"redeem":null}}'],
      ['root = "x"', '{"root":"x"}'],
      ['root = 5', '{"root":5}'],
      ['no root', '{"redeem":{"points_redeemed":1}}'],
      ['a JSON string', '"x"'],
      ['a JSON number', '5'],
      ['a JSON array', '[{"root":{}}]'],
      ['null', 'null'],
      [
        'a valid item followed by a number',
        `{"root":{"redeem":[{"points_redeemed":1,"customer":{"mobile":"${DEMO_MOBILE}"}},5]}}`,
      ],
      ['points_redeemed nested in an array item', '{"root":{"redeem":[[{"points_redeemed":1}]]}}'],
    ])('wrong types: %s', async (_label, text) => {
      const res = await failsWithoutWrites(() => redeemJson(text));
      expectEnvelope(res, 400);
    });

    it('an empty body is 400', async () => {
      const res = await failsWithoutWrites(() =>
        post('/v1.1/points/redeem').query({ skip_validation: 'true' }),
      );
      expectEnvelope(res, 400);
    });

    it('a batch over MAX_BATCH is request-level 1060, nothing redeemed', async () => {
      const item = { points_redeemed: 1, customer: { mobile: DEMO_MOBILE } };
      const res = await failsWithoutWrites(() =>
        redeem(
          t,
          Array.from({ length: 21 }, () => item),
          { skip_validation: 'true' },
        ),
      );
      expect(res.status).toBe(400);
      expect(res.body.response.status).toMatchObject({ success: 'false', code: 1060 });
      expect(res.text).not.toMatch(LEAK);
    });
  });

  it('customer/redemptions pages by keyset with before=next_before: every redemption once, newest first', async () => {
    const { mobile } = await makeCustomer(t, [{ points: 100 }]);
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await redeem(t, { points_redeemed: 1, customer: { mobile } });
      codes.push(res.body.response.responses.points.redemption_id as string);
    }
    const newestFirst = [...codes].reverse();
    type Page = {
      offset: number;
      next_before: string | null;
      redemption: { redemption_id: string }[];
    };
    const page = async (query: Record<string, string>): Promise<Page> => {
      const res = await request(t.url)
        .get('/v1.1/customer/redemptions')
        .query({ mobile, limit: '3', ...query })
        .set('Authorization', DEMO_TILL);
      expect(res.status).toBe(200);
      return res.body.response.customer.redemptions as Page;
    };
    const seen: string[] = [];
    let before: string | null = null;
    const nextBefores: (string | null)[] = [];
    do {
      const p: Page = await page(before === null ? {} : { before, offset: '5' });
      expect(p.offset).toBe(0); // with before, the offset sent (5) is ignored
      seen.push(...p.redemption.map((r) => r.redemption_id));
      nextBefores.push(p.next_before);
      before = p.next_before;
    } while (before !== null);
    expect(seen).toEqual(newestFirst);
    // Pages of 3, 3, 1: the full pages name their last redemption, the short one null.
    expect(nextBefores).toEqual([newestFirst[2], newestFirst[5], null]);
    // The same pages by offset, for clients that page that way.
    const byOffset = await page({ offset: '3' });
    expect(byOffset.redemption.map((r) => r.redemption_id)).toEqual(newestFirst.slice(3, 6));
    // A code that is not one of the customer's pages nothing.
    expect((await page({ before: 'ZZZZZZ' })).redemption).toEqual([]);
  });

  it('POST with Content-Type text/plain is 415', async () => {
    const res = await failsWithoutWrites(() =>
      post('/v1.1/points/redeem')
        .query({ skip_validation: 'true' })
        .set('Content-Type', 'text/plain')
        .send(redeemBody('1')),
    );
    expectEnvelope(res, 415);
  });

  it('POST with Content-Type application/x-www-form-urlencoded is 415', async () => {
    const res = await failsWithoutWrites(() =>
      post('/v1.1/points/redeem')
        .query({ skip_validation: 'true' })
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('root[redeem][points_redeemed]=1'),
    );
    expectEnvelope(res, 415);
  });

  it('a body over the 100kb limit is 413', async () => {
    const notes = 'x'.repeat(150 * 1024);
    const text = `{"root":{"redeem":{"points_redeemed":1,"customer":{"mobile":"${DEMO_MOBILE}"},"notes":"${notes}"}}}`;
    const res = await failsWithoutWrites(() => redeemJson(text));
    expectEnvelope(res, 413);
  });

  it('an unknown route is a 404 envelope', async () => {
    for (const path of ['/v1.1/points/nothing', '/nothing', '/v1.1/points/redeem/extra']) {
      const res = await failsWithoutWrites(() =>
        request(t.url).get(path).set('Authorization', DEMO_TILL),
      );
      expectEnvelope(res, 404);
    }
  });

  it('an unknown route with a POST body is still a 404 envelope', async () => {
    const res = await failsWithoutWrites(() =>
      post('/v1.1/points/nothing').set('Content-Type', 'application/json').send(redeemBody('1')),
    );
    expectEnvelope(res, 404);
  });

  describe('a wrong method on a known path is 405 with Allow', () => {
    it('DELETE /v1.1/points/redeem', async () => {
      const res = await failsWithoutWrites(() =>
        request(t.url).delete('/v1.1/points/redeem').set('Authorization', DEMO_TILL),
      );
      expectEnvelope(res, 405);
      const allow = res.headers.allow.split(/,\s*/);
      expect(allow).toEqual(expect.arrayContaining(['GET', 'POST']));
      expect(allow).not.toContain('DELETE');
    });

    it('POST /v1.1/customer/get', async () => {
      const res = await failsWithoutWrites(() =>
        post('/v1.1/customer/get')
          .query({ mobile: DEMO_MOBILE })
          .set('Content-Type', 'application/json')
          .send('{}'),
      );
      expectEnvelope(res, 405);
      const allow = res.headers.allow.split(/,\s*/);
      expect(allow).toContain('GET');
      expect(allow).not.toContain('POST');
    });

    it('PUT /v1.1/points/redeem', async () => {
      const res = await failsWithoutWrites(() =>
        request(t.url)
          .put('/v1.1/points/redeem')
          .query({ skip_validation: 'true' })
          .set('Authorization', DEMO_TILL)
          .set('Content-Type', 'application/json')
          .send(redeemBody('1')),
      );
      expectEnvelope(res, 405);
      const allow = res.headers.allow.split(/,\s*/);
      expect(allow).toEqual(expect.arrayContaining(['GET', 'POST']));
      expect(allow).not.toContain('PUT');
    });
  });

  it('a doubled slash still routes', async () => {
    const res = await request(t.url)
      .get(`//v1.1//customer/get?mobile=${DEMO_MOBILE}`)
      .set('Authorization', DEMO_TILL);
    expect(res.status).toBe(200);
    expect(res.body.response.status).toEqual({ success: 'true', code: 200, message: 'Success' });
    expect(res.body.response.customers.customer[0].mobile).toBe(DEMO_MOBILE);
  });

  it('a GET carrying Content-Type but no body is fine', async () => {
    const res = await request(t.url)
      .get('/v1.1/customer/get')
      .query({ mobile: DEMO_MOBILE })
      .set('Authorization', DEMO_TILL)
      .set('Content-Type', 'application/json');
    expect(res.status).toBe(200);
    expect(res.body.response.status.code).toBe(200);
  });

  describe('redeem by GET with a body (the seed documents GET)', () => {
    async function loyaltyPoints(): Promise<number> {
      const res = await request(t.url)
        .get('/v1.1/customer/get')
        .query({ mobile: DEMO_MOBILE })
        .set('Authorization', DEMO_TILL);
      return res.body.response.customers.customer[0].loyalty_points as number;
    }

    it('with a JSON body', async () => {
      const before = await loyaltyPoints();
      const res = await request(t.url)
        .get('/v1.1/points/redeem')
        .query({ skip_validation: 'true' })
        .set('Authorization', DEMO_TILL)
        .set('Content-Type', 'application/json')
        .send(redeemBody('1'));
      expect(res.status).toBe(200);
      expect(res.body.response.status).toEqual({ success: 'true', code: 200, message: 'Success' });
      expect(res.body.response.responses.points.item_status).toMatchObject({
        success: 'true',
        code: 800,
      });
      expect(res.body.response.responses.points.points_redeemed).toBe('1');
      expect(await loyaltyPoints()).toBe(before - 1);
    });

    it('even with Content-Type text/plain (ignored on GET)', async () => {
      const before = await loyaltyPoints();
      const res = await request(t.url)
        .get('/v1.1/points/redeem')
        .query({ skip_validation: 'true' })
        .set('Authorization', DEMO_TILL)
        .set('Content-Type', 'text/plain')
        .send(redeemBody('2'));
      expect(res.status).toBe(200);
      expect(res.body.response.responses.points.item_status.code).toBe(800);
      expect(res.body.response.responses.points.points_redeemed).toBe('2');
      expect(await loyaltyPoints()).toBe(before - 2);
    });

    it('a GET with a malformed body is 400 and writes nothing', async () => {
      const res = await failsWithoutWrites(() =>
        request(t.url)
          .get('/v1.1/points/redeem')
          .query({ skip_validation: 'true' })
          .set('Authorization', DEMO_TILL)
          .set('Content-Type', 'text/plain')
          .send('{"root":'),
      );
      expectEnvelope(res, 400);
    });
  });

  describe('format and junk query parameters', () => {
    it('format=json and junk parameters (mlp, user_id, a stray &<query) are ignored', async () => {
      const res = await request(t.url)
        .post(`/v1.1/points/redeem?format=json&skip_validation=true&mlp=1&user_id=3&<query`)
        .set('Authorization', DEMO_TILL)
        .set('Content-Type', 'application/json')
        .send(redeemBody('1'));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.response.status.code).toBe(200);
      expect(res.body.response.responses.points.item_status.code).toBe(800);
    });

    it('Accept: application/xml with format=json still answers JSON', async () => {
      const res = await request(t.url)
        .get('/v1.1/customer/get')
        .query({ format: 'json', mobile: DEMO_MOBILE })
        .set('Authorization', DEMO_TILL)
        .set('Accept', 'application/xml');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(res.text).response.status.code).toBe(200);
    });

    it('Accept: application/xml on redeem with format=json answers JSON', async () => {
      const res = await request(t.url)
        .post('/v1.1/points/redeem')
        .query({ format: 'json', skip_validation: 'true' })
        .set('Authorization', DEMO_TILL)
        .set('Accept', 'application/xml')
        .set('Content-Type', 'application/json')
        .send(redeemBody('1'));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(res.text).response.responses.points.item_status.code).toBe(800);
    });

    it('no format and no Accept: JSON', async () => {
      const res = await request(t.url)
        .get('/v1.1/customer/get')
        .query({ mobile: DEMO_MOBILE })
        .set('Authorization', DEMO_TILL)
        .unset('Accept');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    });
  });

  describe('exact decimals end to end', () => {
    let programId: number;

    beforeAll(async () => {
      const res = await admin(t, 'post', '/admin/programs', {
        name: 'Exact',
        min_redeem: 0,
        redeem_multiple_of: null,
      });
      expect(res.status).toBe(201);
      programId = res.body.id as number;
      expect(programId).toBeGreaterThan(1);
    });

    it('12.345 is redeemed and reported exactly, and the balance printed exactly', async () => {
      const { id, mobile } = await makeCustomer(t, [{ points: 1000, program_id: programId }]);
      const res = await post('/v1.1/points/redeem')
        .query({ skip_validation: 'true', program_id: String(programId) })
        .set('Content-Type', 'application/json')
        .send(redeemBody('12.345', mobile));
      expect(res.status).toBe(200);
      expect(res.body.response.responses.points.item_status.code).toBe(800);
      expect(res.text).toContain('"points_redeemed":"12.345"');
      expect(res.text).toContain('"balance":987.655');
      expect(res.text).toContain('"redeemed_value":12.345');
      expect(res.text).toContain('"num_points":12.345');
      const { rows } = await t.pg.query<{ balance: string }>(
        'SELECT balance::text FROM wallet WHERE customer_id = $1 AND program_id = $2',
        [id, programId],
      );
      expect(rows[0].balance).toBe('987.655');
    });

    it('0.1 then 0.2 leaves exactly 999.7 (no float drift)', async () => {
      const { mobile } = await makeCustomer(t, [{ points: 1000, program_id: programId }]);
      const q = { skip_validation: 'true', program_id: String(programId) };
      const first = await post('/v1.1/points/redeem')
        .query(q)
        .set('Content-Type', 'application/json')
        .send(redeemBody('0.1', mobile));
      expect(first.text).toContain('"balance":999.9');
      const second = await post('/v1.1/points/redeem')
        .query(q)
        .set('Content-Type', 'application/json')
        .send(redeemBody('0.2', mobile));
      expect(second.body.response.responses.points.item_status.code).toBe(800);
      expect(second.text).toContain('"balance":999.7,');
      expect(second.text).toContain('"points_redeemed":"0.2"');
    });

    it('a numeric string is as exact as a number', async () => {
      const { mobile } = await makeCustomer(t, [{ points: '100.5', program_id: programId }]);
      const res = await post('/v1.1/points/redeem')
        .query({ skip_validation: 'true', program_id: String(programId) })
        .set('Content-Type', 'application/json')
        .send(redeemBody('"0.005"', mobile));
      expect(res.body.response.responses.points.item_status.code).toBe(800);
      expect(res.text).toContain('"points_redeemed":"0.005"');
      expect(res.text).toContain('"balance":100.495');
    });

    it('more than 3 decimals is item 878 and writes nothing', async () => {
      const { mobile } = await makeCustomer(t, [{ points: 10, program_id: programId }]);
      const res = await failsWithoutWrites(() =>
        post('/v1.1/points/redeem')
          .query({ skip_validation: 'true', program_id: String(programId) })
          .set('Content-Type', 'application/json')
          .send(redeemBody('1.0001', mobile)),
      );
      expect(res.status).toBe(200);
      expect(res.body.response.status.code).toBe(500);
      expect(res.body.response.responses.points.item_status.code).toBe(878);
      expect(res.text).not.toMatch(LEAK);
    });
  });

  describe('no internals in any error body', () => {
    const item = (fields: string) => `{"root":{"redeem":{"points_redeemed":1,${fields}}}}`;
    it.each([
      ['1e309', redeemBody('1e309'), {}, 801],
      ['a huge integer', redeemBody('1' + '0'.repeat(30)), {}, 801],
      ['a huge id', item('"customer":{"id":99999999999999999999}'), {}, 802],
      ['a NUL in the mobile', item('"customer":{"mobile":"9199\\u00000001"}'), {}, 802],
      ['a quote in the mobile', item(`"customer":{"mobile":"1' OR '1'='1"}`), {}, 816],
      [
        'a bad redemption_time',
        item(`"customer":{"mobile":"${DEMO_MOBILE}"},"redemption_time":"2024-02-30 10:00:00"`),
        {},
        859,
      ],
      ['an unknown program_id', redeemBody('1'), { program_id: '999999' }, 1101],
      ['program_id=abc', redeemBody('1'), { program_id: 'abc' }, 1101],
    ])('%s fails as an item without leaking', async (_label, text, extra, code) => {
      const res = await failsWithoutWrites(() =>
        post('/v1.1/points/redeem')
          .query({ skip_validation: 'true', ...extra })
          .set('Content-Type', 'application/json')
          .send(text),
      );
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.response.status).toMatchObject({ success: 'false', code: 500 });
      expect(res.body.response.responses.points.item_status).toMatchObject({
        success: 'false',
        code,
      });
      expect(res.text).not.toMatch(LEAK);
    });
  });
});
