import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { ExpirySweeper } from '../../src/ledger/expiry-sweeper';
import { admin, balanceOf, credit, makeCustomer, redeem } from '../support/api';
import { DEMO_TILL, OTHER_ADMIN } from '../support/credentials';
import { itemOf } from '../support/redeem-helpers';
import { reverse } from '../support/reversal-helpers';
import { startTestApp, TestApp } from '../support/test-app';
import { eventually, Received, WebhookReceiver } from '../support/webhook-receiver';

interface Endpoint {
  id: number;
  url: string;
  events: string[];
  enabled: boolean;
  failing: boolean;
  secret?: string;
}

interface EventBody {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

const ALL = [
  'redemption.created',
  'redemption.reversed',
  'points.credited',
  'points.expired',
  'customer.fraud_status_changed',
];

/**
 * Events out, as a receiver sees them: a real HTTP server on loopback, every request verified
 * with the official `standardwebhooks` library.
 */
describe('webhooks: signed events from the transactional outbox', () => {
  let t: TestApp;
  let rx: WebhookReceiver;

  beforeAll(async () => {
    rx = await new WebhookReceiver().start();
    t = await startTestApp('webhooks', {
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_TIMEOUT_MS: '3000',
      WEBHOOK_BACKOFF_SECONDS: '0,1,1',
    });
  });
  afterEach(() => t.clock.reset());
  afterAll(async () => {
    await t.close();
    await rx.stop();
  });

  async function subscribe(path: string, events = ALL): Promise<Endpoint> {
    const res = await admin(t, 'post', '/admin/webhooks', { url: `${rx.url}${path}`, events });
    expect(res.status).toBe(201);
    return res.body as Endpoint;
  }

  /**
   * The verified events that arrived at `path`, by the library a receiver uses, its clock
   * reading what the service's read when it sent each (the tests move the service's clock).
   */
  function verified(path: string, secret: string): (EventBody & { id: string })[] {
    const wh = new Webhook(secret);
    return rx.at(path).map((r: Received) => {
      const sent = Number(r.headers['webhook-timestamp']) * 1000;
      const receiverNow = jest.spyOn(Date, 'now').mockReturnValue(sent + 1000);
      try {
        return { ...(wh.verify(r.body, r.headers) as EventBody), id: r.headers['webhook-id'] };
      } finally {
        receiverNow.mockRestore();
      }
    });
  }

  it('each kind of change arrives once, signed, with the ids and exact amounts the API answered', async () => {
    const hook = await subscribe('/ok/all');
    // What shows only in the database stays there: the secret is sealed at rest.
    const { rows } = await t.pg.query<{ secret: string }>(
      'SELECT secret FROM webhook_endpoint WHERE id = $1',
      [hook.id],
    );
    expect(rows[0].secret).not.toContain(hook.secret!.slice(6));
    expect(hook.secret).toMatch(/^whsec_/);
    const listed = await admin(t, 'get', '/admin/webhooks');
    expect(listed.text).not.toContain(hook.secret!);

    const c = await makeCustomer(t, [{ points: '100.5' }]);
    const red = itemOf(await redeem(t, { points_redeemed: 30, customer: { mobile: c.mobile } }));
    expect(red.item_status.code).toBe(800);
    // A refused redemption reports nothing.
    const refused = itemOf(
      await redeem(t, { points_redeemed: 1000, customer: { mobile: c.mobile } }),
    );
    expect(refused.item_status.code).toBe(803);
    const rev = await reverse(t, { redemptionId: red.redemption_id, pointsToBeReversed: 10 });
    expect(rev.status).toBe(200);
    // Credited after the redemption, so that it is not spent and lapses whole.
    const inAnHour = new Date(t.clock.now().getTime() + 3600_000).toISOString();
    await credit(t, { customer_id: c.id, points: 7, expires_at: inAnHour });
    expect(
      (await admin(t, 'patch', `/admin/customers/${c.id}`, { fraud_status: 'MARKED' })).status,
    ).toBe(200);
    t.clock.advance(2 * 3600_000);
    await t.app.get(ExpirySweeper).sweepOnce();

    await eventually(() => rx.at('/ok/all').length >= 6, 10_000, 'six events');
    t.clock.reset();
    const events = verified('/ok/all', hook.secret!);
    expect(events.map((e) => e.type).sort()).toEqual(
      [
        'customer.fraud_status_changed',
        'points.credited',
        'points.credited',
        'points.expired',
        'redemption.created',
        'redemption.reversed',
      ].sort(),
    );
    expect(new Set(events.map((e) => e.id)).size).toBe(6);
    const byType = (type: string) => events.filter((e) => e.type === type);
    expect(
      byType('points.credited')
        .map((e) => e.data.points)
        .sort(),
    ).toEqual(['100.5', '7']);
    expect(byType('redemption.created')[0].data).toMatchObject({
      redemption_id: red.redemption_id,
      customer_id: String(c.id),
      points: '30',
      balance: '70.5',
      bill_number: expect.any(String),
    });
    expect(byType('redemption.reversed')[0].data).toMatchObject({
      redemption_id: red.redemption_id,
      reversal_id: (rev.body as { reversalId: string }).reversalId,
      points: '10',
      points_restored: '10',
      balance: '80.5',
    });
    expect(byType('customer.fraud_status_changed')[0].data).toEqual({
      customer_id: String(c.id),
      fraud_status: 'MARKED',
      previous_fraud_status: 'NONE',
    });
    expect(byType('points.expired')[0].data).toMatchObject({
      customer_id: String(c.id),
      points: '7',
      balance: '80.5',
    });
    expect(await balanceOf(t, c.id)).toBe('80.500');
    for (const e of events) expect(e.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    // Nothing is sent twice: a while later, still six.
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.at('/ok/all')).toHaveLength(6);
  });

  it('a receiver answering 500 twice gets the event on the third attempt, with the same webhook-id', async () => {
    const hook = await subscribe('/flaky:2/x', ['points.credited']);
    const c = await makeCustomer(t, [{ points: 5 }]);
    await eventually(() => rx.at('/flaky:2/x').length >= 3, 10_000, 'three attempts');
    const attempts = rx.at('/flaky:2/x');
    expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
    for (const a of attempts)
      expect(new Webhook(hook.secret!).verify(a.body, a.headers)).toBeTruthy();
    const deliveries = await admin(t, 'get', `/admin/webhooks/${hook.id}/deliveries`);
    expect(deliveries.status).toBe(200);
    await eventually(() => true);
    const [d] = (deliveries.body as { deliveries: Record<string, unknown>[] }).deliveries;
    expect(d).toMatchObject({
      type: 'points.credited',
      attempts: 3,
      status: 'delivered',
      last_status: 200,
    });
    expect(d.last_response).toBe('thanks');
    expect(c.id).toBeGreaterThan(0);
  });

  it('a hanging receiver does not delay another endpoint', async () => {
    await subscribe('/hang/h', ['points.credited']);
    await subscribe('/ok/beside', ['points.credited']);
    const started = Date.now();
    for (let i = 0; i < 6; i++) await makeCustomer(t, [{ points: 1 }]);
    await eventually(() => rx.at('/ok/beside').length >= 6, 2500, 'the other endpoint');
    // Well inside the hanging one's 3 s timeout.
    expect(Date.now() - started).toBeLessThan(2500);
    expect(rx.at('/hang/h').length).toBeGreaterThan(0);
  });

  it('rotation: both secrets sign for the overlap, then only the new one', async () => {
    const hook = await subscribe('/ok/rotate', ['points.credited']);
    const rotated = await admin(t, 'post', `/admin/webhooks/${hook.id}/rotate`);
    expect(rotated.status).toBe(200);
    const fresh = (rotated.body as { secret: string }).secret;
    expect(fresh).not.toBe(hook.secret);
    await makeCustomer(t, [{ points: 2 }]);
    await eventually(() => rx.at('/ok/rotate').length >= 1);
    const [first] = rx.at('/ok/rotate');
    expect(first.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(fresh).verify(first.body, first.headers)).toBeTruthy();
    expect(new Webhook(hook.secret!).verify(first.body, first.headers)).toBeTruthy();

    t.clock.advance(25 * 3600_000);
    await makeCustomer(t, [{ points: 3 }]);
    await eventually(() => rx.at('/ok/rotate').length >= 2);
    const second = rx.at('/ok/rotate')[1];
    expect(second.headers['webhook-signature'].split(' ')).toHaveLength(1);
    // The receiver's clock reads what the service's read then (a day on).
    const receiverNow = jest.spyOn(Date, 'now').mockReturnValue(t.clock.now().getTime());
    try {
      expect(new Webhook(fresh).verify(second.body, second.headers)).toBeTruthy();
      expect(() => new Webhook(hook.secret!).verify(second.body, second.headers)).toThrow(
        /signature/i,
      );
    } finally {
      receiverNow.mockRestore();
      t.clock.reset();
    }
  });

  it('a disabled endpoint gets nothing; one that fails every attempt is marked failing, and can be retried', async () => {
    const off = await subscribe('/ok/off', ['points.credited']);
    expect((await admin(t, 'patch', `/admin/webhooks/${off.id}`, { enabled: false })).status).toBe(
      200,
    );
    const failing = await subscribe('/fail/f', ['redemption.created']);
    await makeCustomer(t, [{ points: 4 }]);
    const c = await makeCustomer(t, [{ points: 10 }]);
    expect(
      itemOf(await redeem(t, { points_redeemed: 1, customer: { mobile: c.mobile } })).item_status
        .code,
    ).toBe(800);
    await eventually(() => rx.at('/fail/f').length >= 3, 10_000, 'the last attempt');
    await eventually(() => true);
    const list = async () =>
      ((await admin(t, 'get', '/admin/webhooks')).body as Endpoint[]).find(
        (e) => e.id === failing.id,
      )!;
    await (async () => {
      const deadline = Date.now() + 5000;
      while (!(await list()).failing && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
    })();
    expect((await list()).failing).toBe(true);
    const metrics = await request(t.url).get('/metrics');
    expect(metrics.text).toMatch(/points_webhook_failing_endpoints\{org="\d+"\} [1-9]/);
    expect(metrics.text).toMatch(/points_webhook_deliveries_total\{outcome="failed"\} [1-9]/);
    expect(rx.at('/ok/off')).toHaveLength(0);
    const { rows } = await t.pg.query('SELECT 1 FROM webhook_delivery WHERE endpoint_id = $1', [
      off.id,
    ]);
    expect(rows).toHaveLength(0);

    // Sent again by hand: one more attempt, the same webhook-id.
    const page = await admin(t, 'get', `/admin/webhooks/${failing.id}/deliveries`);
    const [d] = (page.body as { deliveries: { id: string; status: string; attempts: number }[] })
      .deliveries;
    expect(d).toMatchObject({ status: 'failed', attempts: 3 });
    const retried = await admin(t, 'post', `/admin/webhooks/deliveries/${d.id}/retry`);
    expect(retried.status).toBe(200);
    await eventually(() => rx.at('/fail/f').length >= 4, 5000, 'the retry');
    expect(new Set(rx.at('/fail/f').map((r) => r.headers['webhook-id'])).size).toBe(1);
  });

  it("another org's admin sees none of this org's endpoints and cannot retry its deliveries", async () => {
    const mine = await subscribe('/ok/mine', ['points.credited']);
    const theirs = await admin(t, 'get', '/admin/webhooks', undefined, OTHER_ADMIN);
    expect(theirs.status).toBe(200);
    expect(theirs.body).toEqual([]);
    expect(
      (await admin(t, 'patch', `/admin/webhooks/${mine.id}`, { enabled: false }, OTHER_ADMIN))
        .status,
    ).toBe(404);
    expect(
      (await admin(t, 'get', `/admin/webhooks/${mine.id}/deliveries`, undefined, OTHER_ADMIN))
        .status,
    ).toBe(404);
  });

  it('bad requests are 400 naming the field, and write nothing', async () => {
    const before = (await admin(t, 'get', '/admin/webhooks')).body as Endpoint[];
    for (const body of [
      { url: 'ftp://example.com/', events: ['points.credited'] },
      { url: `${rx.url}/ok`, events: [] },
      { url: `${rx.url}/ok`, events: ['points.stolen'] },
      { url: `${rx.url}/ok` },
    ]) {
      const res = await admin(t, 'post', '/admin/webhooks', body);
      expect(res.status).toBe(400);
    }
    expect(((await admin(t, 'get', '/admin/webhooks')).body as Endpoint[]).length).toBe(
      before.length,
    );
    expect(DEMO_TILL).toBeTruthy();
  });
});

describe('webhooks are safe by default: no private addresses', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('webhooks-strict', { WEBHOOK_POLL_MS: '0' });
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    'http://127.0.0.1:9/x',
    'http://localhost:9/x',
    'http://10.0.0.1/x',
    'http://192.168.1.10/x',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]:9/x',
    'http://[fd00::1]/x',
  ])('refuses %s at creation (400, url)', async (url) => {
    const res = await admin(t, 'post', '/admin/webhooks', { url, events: ['points.credited'] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('"field":"url"');
    const { rows } = await t.pg.query('SELECT count(*)::int AS n FROM webhook_endpoint');
    expect(rows[0]).toEqual({ n: 0 });
  });
});

describe('several instances deliver together, never one delivery twice', () => {
  let a: TestApp;
  let b: TestApp;
  let rx: WebhookReceiver;
  const env = {
    WEBHOOK_ALLOW_PRIVATE: 'true',
    // Both look often, so that they race for the same deliveries.
    WEBHOOK_POLL_MS: '20',
    WEBHOOK_CONCURRENCY_PER_ENDPOINT: '2',
  };

  beforeAll(async () => {
    rx = await new WebhookReceiver().start();
    a = await startTestApp('webhooks-pair', env);
    // A second instance of the service on the same database.
    b = await startTestApp('webhooks-pair-b', env, { url: a.databaseUrl, drop: async () => {} });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    await rx.stop();
  });

  const delivered = async (t: TestApp): Promise<number> => {
    const text = (await request(t.url).get('/metrics')).text;
    const m = /points_webhook_deliveries_total\{outcome="delivered"\} (\d+)/.exec(text);
    return m ? Number(m[1]) : 0;
  };

  it('sixty events, two senders: each arrives once, and both sent some', async () => {
    const res = await admin(a, 'post', '/admin/webhooks', {
      url: `${rx.url}/ok/pair`,
      events: ['points.credited'],
    });
    expect(res.status).toBe(201);
    const c = await makeCustomer(a, []);
    for (let i = 0; i < 60; i++) await credit(i % 2 ? a : b, { customer_id: c.id, points: 1 });
    await eventually(() => rx.at('/ok/pair').length >= 60, 15_000, 'sixty deliveries');
    // A while longer: nothing arrives twice.
    await new Promise((r) => setTimeout(r, 500));
    const ids = rx.at('/ok/pair').map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
    const [byA, byB] = [await delivered(a), await delivered(b)];
    expect(byA + byB).toBe(60);
    expect(Math.min(byA, byB)).toBeGreaterThan(0);
  });
});
