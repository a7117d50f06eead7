import request from 'supertest';
import { ExpirySweeper } from '../src/wallets/expiry-sweeper';
import { admin, makeCustomer, redeem } from './support/api';
import { DEMO_ADMIN } from './support/credentials';
import { startTestApp, TestApp } from './support/test-app';

describe('maintenance: expiry sweeper and idempotent credits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('maintenance');
  });
  afterEach(() => t.clock.reset());
  afterAll(async () => {
    await t.close();
  });

  it('the sweeper writes off lapsed lots of a wallet nobody touched', async () => {
    const inAnHour = new Date(t.clock.now().getTime() + 3600_000).toISOString();
    const { id } = await makeCustomer(t, [{ points: 40, expires_at: inAnHour }, { points: 25 }]);
    t.clock.advance(2 * 3600_000);

    const swept = await t.app.get(ExpirySweeper).sweepOnce();

    expect(swept).toBeGreaterThanOrEqual(1);
    const { rows } = await t.pg.query<{ balance: string; expired: string; expiry_rows: number }>(
      `SELECT w.balance::text, w.expired::text,
              (SELECT count(*)::int FROM ledger_entry l WHERE l.wallet_id = w.id AND l.kind = 'EXPIRY') AS expiry_rows
         FROM wallet w WHERE w.customer_id = $1`,
      [id],
    );
    expect(rows[0]).toEqual({ balance: '25.000', expired: '40.000', expiry_rows: 1 });
    // A second round finds nothing more to do for this wallet.
    await t.app.get(ExpirySweeper).sweepOnce();
    const again = await t.pg.query(
      `SELECT count(*)::int AS n FROM ledger_entry l JOIN wallet w ON w.id = l.wallet_id
        WHERE w.customer_id = $1 AND l.kind = 'EXPIRY'`,
      [id],
    );
    expect(again.rows[0].n).toBe(1);
    const verify = await admin(t, 'get', '/admin/ledger/verify');
    expect(verify.body.ok).toBe(true);
  });

  it('a credit retried with the same Idempotency-Key adds the points once', async () => {
    const { id } = await makeCustomer(t);
    const send = () =>
      request(t.url)
        .post('/admin/points/credit')
        .set('Authorization', DEMO_ADMIN)
        .set('Idempotency-Key', `credit-${id}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ customer_id: id, points: '12.5' }));
    const [a, b] = await Promise.all([send(), send()]);
    const c = await send();
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect(b.text).toBe(a.text);
    expect(c.text).toBe(a.text);
    expect(c.headers['idempotent-replayed']).toBe('true');
    const { rows } = await t.pg.query(
      `SELECT w.balance::text AS balance, (SELECT count(*)::int FROM lot WHERE wallet_id = w.id) AS lots
         FROM wallet w WHERE customer_id = $1`,
      [id],
    );
    expect(rows[0]).toEqual({ balance: '12.500', lots: 1 });
  });
});

describe('a "retry" answer is not stored under an Idempotency-Key', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('transient', { LOCK_TIMEOUT_MS: '300' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('521 under a key, then the retry with the same key redeems (800), once', async () => {
    const { id, mobile } = await makeCustomer(t, [{ points: 10 }]);
    const holder = await t.pg.connect();
    const item = { points_redeemed: 2, customer: { mobile } };
    const key = { 'Idempotency-Key': `transient-${id}` };
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM wallet WHERE customer_id = $1 FOR UPDATE', [id]);
      const locked = await redeem(t, item, undefined, undefined, key);
      expect(locked.body.response.responses.points.item_status.code).toBe(521);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    const retry = await redeem(t, item, undefined, undefined, key);
    expect(retry.body.response.responses.points.item_status.code).toBe(800);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    const replay = await redeem(t, item, undefined, undefined, key);
    expect(replay.text).toBe(retry.text);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const { rows } = await t.pg.query(
      'SELECT count(*)::int AS n FROM redemption WHERE customer_id = $1',
      [id],
    );
    expect(rows[0].n).toBe(1);
  });
});
