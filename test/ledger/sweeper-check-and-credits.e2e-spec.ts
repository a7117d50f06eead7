import request from 'supertest';
import { IdempotencyPurger } from '../../src/idempotency/idempotency-purger';
import { OutboxSender } from '../../src/validation-codes/outbox-sender';
import { ExpirySweeper } from '../../src/ledger/expiry-sweeper';
import { admin, makeCustomer, orgIdOf, redeem } from '../support/api';
import { DEMO_ADMIN, OTHER_ADMIN } from '../support/credentials';
import { startTestApp, TestApp } from '../support/test-app';

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

  /**
   * `n` customers of the org, each with a wallet holding one lot of 10 points that lapses at
   * `expiresAt` (and its CREDIT ledger row), written set-based. Returns the wallets' ids.
   */
  async function lapsingWallets(
    n: number,
    expiresAt: Date,
    mark: string,
    org = 'demo',
  ): Promise<string[]> {
    const { rows } = await t.pg.query<{ id: string }>(
      `WITH org AS (SELECT o.id AS org_id, p.id AS program_id FROM org o
                      JOIN program p ON p.org_id = o.id AND p.is_default WHERE o.code = $4),
            c AS (INSERT INTO customer (org_id, external_id, firstname)
                  SELECT org_id, $1 || '-' || g, $1 FROM org, generate_series(1, $2::int) g
                  RETURNING id, org_id),
            w AS (INSERT INTO wallet (org_id, program_id, customer_id, balance, lifetime_points)
                  SELECT c.org_id, org.program_id, c.id, 10, 10 FROM c, org RETURNING id, org_id),
            l AS (INSERT INTO lot (org_id, wallet_id, amount, remaining, earned_at, expires_at)
                  SELECT org_id, id, 10, 10, $3::timestamptz - interval '1 day', $3 FROM w
                  RETURNING id, wallet_id, org_id)
       INSERT INTO ledger_entry (org_id, wallet_id, lot_id, kind, amount, balance_after, actor_type, request_id)
       SELECT org_id, wallet_id, id, 'CREDIT', 10, 10, 'system', $1 FROM l RETURNING wallet_id AS id`,
      [mark, n, expiresAt, org],
    );
    return rows.map((r) => r.id);
  }

  it('one sweep round writes off lots lapsed at the same instant in many wallets, batch by batch', async () => {
    const lapse = new Date(t.clock.now().getTime() + 3600_000);
    const ids = await lapsingWallets(1234, lapse, 'sweep-many');
    t.clock.advance(2 * 3600_000);

    const swept = await t.app.get(ExpirySweeper).sweepOnce();

    expect(swept).toBeGreaterThanOrEqual(ids.length);
    const { rows } = await t.pg.query<{ left: number; expiry_rows: number; bad: number }>(
      `SELECT (SELECT count(*)::int FROM lot WHERE wallet_id = ANY($1::bigint[]) AND remaining > 0) AS left,
              (SELECT count(*)::int FROM ledger_entry WHERE wallet_id = ANY($1::bigint[]) AND kind = 'EXPIRY'
                  AND amount = -10 AND balance_after = 0) AS expiry_rows,
              (SELECT count(*)::int FROM wallet WHERE id = ANY($1::bigint[])
                  AND (balance <> 0 OR expired <> 10)) AS bad`,
      [ids],
    );
    expect(rows[0]).toEqual({ left: 0, expiry_rows: ids.length, bad: 0 });
    const verify = await admin(t, 'get', '/admin/ledger/verify');
    expect(verify.body).toMatchObject({ ok: true, failure_count: 0, failures: [] });
  });

  it('one sweep round takes every org, one org at a time', async () => {
    const lapse = new Date(t.clock.now().getTime() + 3600_000);
    const demo = await lapsingWallets(3, lapse, 'sweep-demo', 'demo');
    const other = await lapsingWallets(2, lapse, 'sweep-other', 'other');
    t.clock.advance(2 * 3600_000);

    await t.app.get(ExpirySweeper).sweepOnce();

    const { rows } = await t.pg.query<{ org: string; swept: number }>(
      `SELECT o.code AS org, count(*) FILTER (WHERE w.balance = 0 AND w.expired = 10)::int AS swept
         FROM wallet w JOIN org o ON o.id = w.org_id
        WHERE w.id = ANY($1::bigint[]) GROUP BY o.code ORDER BY o.code`,
      [[...demo, ...other]],
    );
    expect(rows).toEqual([
      { org: 'demo', swept: 3 },
      { org: 'other', swept: 2 },
    ]);
  });

  it('the outbox drains every org with messages to send, each in a transaction of its own', async () => {
    const { rows: orgs } = await t.pg.query<{ id: number; code: string }>(
      `SELECT id, code FROM org WHERE code IN ('demo', 'other') ORDER BY code`,
    );
    const { rows: queued } = await t.pg.query<{ id: string }>(
      `INSERT INTO notification (org_id, channel, recipient, text, clear_text, created_at)
       SELECT id, 'SMS', '91990000' || id, 'masked', 'outbox-per-org ' || code, now() FROM org
        WHERE id = ANY($1::bigint[]) RETURNING id`,
      [orgs.map((o) => o.id)],
    );

    await t.app.get(OutboxSender).drain();

    const { rows } = await t.pg.query<{ sent: boolean }>(
      'SELECT sent_at IS NOT NULL AS sent FROM notification WHERE id = ANY($1::bigint[])',
      [queued.map((q) => q.id)],
    );
    expect(rows).toEqual([{ sent: true }, { sent: true }]);
  });

  it('the idempotency purge drops every org keys past their time, and no others', async () => {
    const { rows: orgs } = await t.pg.query<{ id: number }>(
      `SELECT id FROM org WHERE code IN ('demo', 'other') ORDER BY code`,
    );
    for (const [i, o] of orgs.entries()) {
      // A year old is past any time to live; the new ones are not.
      await t.pg.query(
        `INSERT INTO idempotency_key (org_id, key, request_hash, owner_token, lease_until, created_at)
         VALUES ($1, $2, 'h', 't', now(), now() - interval '1 year'),
                ($1, $3, 'h', 't', now(), now())`,
        [o.id, `purge-old-${i}`, `purge-new-${i}`],
      );
    }

    await t.app.get(IdempotencyPurger).purgeOnce();

    const { rows } = await t.pg.query<{ key: string }>(
      `SELECT key FROM idempotency_key WHERE key LIKE 'purge-%' ORDER BY key`,
    );
    expect(rows.map((r) => r.key)).toEqual(['purge-new-0', 'purge-new-1']);
  });

  it('the sweeper leaves a wallet another transaction holds to that transaction', async () => {
    const lapse = new Date(t.clock.now().getTime() + 3600_000);
    const [held, free] = await lapsingWallets(2, lapse, 'sweep-held');
    t.clock.advance(2 * 3600_000);
    const holder = await t.pg.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM wallet WHERE id = $1 FOR UPDATE', [held]);
      await t.app.get(ExpirySweeper).sweepOnce();
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    const { rows } = await t.pg.query<{ id: number; balance: string }>(
      'SELECT id, balance::text FROM wallet WHERE id = ANY($1::bigint[]) ORDER BY id',
      [[held, free]],
    );
    expect(rows).toEqual([
      { id: held, balance: '10.000' },
      { id: free, balance: '0.000' },
    ]);
    // Free again: the next round takes it.
    await t.app.get(ExpirySweeper).sweepOnce();
    const after = await t.pg.query('SELECT balance::text FROM wallet WHERE id = $1', [held]);
    expect(after.rows[0].balance).toBe('0.000');
  });

  it('the ledger check reads every wallet page by page and reports each inconsistency', async () => {
    const ids = await lapsingWallets(
      2100,
      new Date(t.clock.now().getTime() + 365 * 86400_000),
      'check-pages',
    );
    const { rows } = await t.pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM wallet w JOIN org o ON o.id = w.org_id WHERE o.code = 'demo'`,
    );
    const clean = await admin(t, 'get', '/admin/ledger/verify');
    expect(clean.body).toMatchObject({ ok: true, wallets_checked: rows[0].n, failure_count: 0 });
    expect(rows[0].n).toBeGreaterThan(2000); // more than two pages

    // Two wallets past the first page made inconsistent behind the service's back.
    const broken = [ids[1500], ids[2050]];
    await t.pg.query('UPDATE wallet SET balance = balance + 1 WHERE id = ANY($1::bigint[])', [
      broken,
    ]);
    try {
      const res = await admin(t, 'get', '/admin/ledger/verify');
      expect(res.body.ok).toBe(false);
      expect(res.body.wallets_checked).toBe(rows[0].n);
      // Each broken wallet disagrees with its ledger and with its lots.
      expect(res.body.failure_count).toBe(4);
      // Wallet ids (bigint) go on the wire as strings.
      const failures = res.body.failures as { wallet_id: string }[];
      expect(failures.map((f) => f.wallet_id).sort()).toEqual(
        [...broken, ...broken].map(String).sort(),
      );
    } finally {
      await t.pg.query('UPDATE wallet SET balance = balance - 1 WHERE id = ANY($1::bigint[])', [
        broken,
      ]);
    }
  });

  it('the ledger check finds the references no foreign key guards on the redemption path', async () => {
    // In org other, so the demo org's checks stay clean: rows written behind the service's
    // back that no foreign key refuses any more (the ledger is append-only, so they stay).
    const orgId = await orgIdOf(t, 'other');
    const { id } = await makeCustomer(t, [{ points: 10 }], OTHER_ADMIN);
    const {
      rows: [w],
    } = await t.pg.query<{ id: string; program_id: number }>(
      'SELECT id::text, program_id FROM wallet WHERE customer_id = $1',
      [id],
    );
    // Two ledger entries naming a redemption that never existed (their sum is 0)...
    await t.pg.query(
      `INSERT INTO ledger_entry (org_id, wallet_id, kind, amount, balance_after, redemption_id, actor_type, request_id)
       VALUES ($1, $2, 'ADJUSTMENT', 1, 11, 987654321, 'system', 'test'),
              ($1, $2, 'ADJUSTMENT', -1, 10, 987654321, 'system', 'test')`,
      [orgId, w.id],
    );
    // ...and a redemption of a wallet and customer that do not exist, with no allocation.
    await t.pg.query(
      `INSERT INTO redemption (org_id, code, wallet_id, program_id, customer_id, points, redeemed_value,
                               redemption_time, till_id, request_id)
       SELECT $1, 'ORPHAN', 987654321, $2, 987654321, 1, 1, now(), u.id, 'test'
         FROM app_user u WHERE u.org_id = $1 LIMIT 1`,
      [orgId, w.program_id],
    );
    const res = await admin(t, 'get', '/admin/ledger/verify', undefined, OTHER_ADMIN);
    expect(res.body.ok).toBe(false);
    const problems = (
      res.body.failures as { wallet_id?: string; redemption_id?: string; problem: string }[]
    ).map((f) => `${f.wallet_id ?? f.redemption_id}: ${f.problem}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        `${w.id}: 2 ledger entries name a redemption that does not exist`,
        'ORPHAN: its wallet does not exist',
        'ORPHAN: its customer does not exist',
      ]),
    );
    // The demo org is untouched by it.
    const demo = await admin(t, 'get', '/admin/ledger/verify');
    expect(demo.body.ok).toBe(true);
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
