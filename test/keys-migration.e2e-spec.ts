import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { LotSpendsInPlace1766100000000 } from '../migrations/1766100000000-LotSpendsInPlace';
import { EventsOut1766200000000 } from '../migrations/1766200000000-EventsOut';
import { dataSourceOptions } from '../src/database/data-source-options';
import { admin, createCustomer, credit, expectLedgerOk, makeCustomer, redeem } from './support/api';
import { DEMO_TILL } from './support/credentials';
import { issueAndRead } from './support/otp-helpers';
import { itemOf } from './support/redeem-helpers';
import { reverse } from './support/reversal-helpers';
import { startTestApp, TestApp } from './support/test-app';

const KEYS_MIGRATION = 'KeysLedByOrg1765900000000';

/** docs/scaling.md's `citus:` line: the table classes citus_ready.sql is run with. */
function citusClasses(): Record<'ref' | 'local' | 'trig', string> {
  const doc = readFileSync(join(__dirname, '..', 'docs', 'scaling.md'), 'utf8');
  const line = /^citus: (.*)$/m.exec(doc.replace(/`/g, ''));
  if (!line) throw new Error('docs/scaling.md has no citus: line');
  const classes = Object.fromEntries(line[1].split(/\s+/).map((pair) => pair.split('=')));
  return { ref: classes.ref ?? '', local: classes.local ?? '', trig: classes.trig ?? '' };
}

/** test/citus/citus_ready.sql with its psql variables filled in: one row per problem. */
async function citusProblems(t: TestApp): Promise<string[]> {
  const vars: Record<string, string> = { schema: 'public', ...citusClasses() };
  const text = readFileSync(join(__dirname, 'citus', 'citus_ready.sql'), 'utf8').replace(
    /:'(\w+)'/g,
    (_m, name: string) => {
      if (!(name in vars)) throw new Error(`citus_ready.sql uses :'${name}', which is not set`);
      return `'${vars[name].replace(/'/g, "''")}'`;
    },
  );
  const { rows } = await t.pg.query<{ problem: string; tbl: string; detail: string }>(text);
  return rows.map((r) => `${r.problem}: ${r.tbl} ${r.detail}`.trim());
}

/** Every row of every table (but the migrations' own), and where each id sequence stands. */
async function everything(t: TestApp): Promise<Record<string, string[]>> {
  const { rows: tables } = await t.pg.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'migrations' ORDER BY 1`,
  );
  const all: Record<string, string[]> = {};
  for (const { name } of tables) {
    // Columns the server computes from the others (lot.is_open) are not data: they come and
    // go with the migrations that define them.
    const { rows } = await t.pg.query<{ row: string }>(
      `SELECT (to_jsonb(x) - ARRAY(SELECT attname::text FROM pg_attribute
                                    WHERE attrelid = '${name}'::regclass AND attgenerated <> ''))::text AS row
         FROM ${name} x ORDER BY 1`,
    );
    all[name] = rows.map((r) => r.row);
  }
  const { rows: sequences } = await t.pg.query<{ s: string }>(
    `SELECT sequencename || '=' || coalesce(last_value, 0) AS s FROM pg_sequences
      WHERE schemaname = 'public' AND sequencename <> 'migrations_id_seq' ORDER BY 1`,
  );
  all.sequences = sequences.map((r) => r.s);
  return all;
}

/** A bit of everything the API writes: every table gets rows. */
async function fillThroughTheApi(t: TestApp): Promise<void> {
  const a = await makeCustomer(t, [{ points: '100.5' }, { points: 40, expires_at: '2099-01-01' }]);
  const b = await makeCustomer(t, [{ points: 300 }]);
  const c = await createCustomer(t, { email: 'keys@example.com', external_id: 'keys-ext' });
  await credit(t, { customer_id: c.id, points: 12 });

  const idempotent = await redeem(
    t,
    { points_redeemed: 20, customer: { mobile: a.mobile }, external_reference_number: 'k-1' },
    { skip_validation: 'true' },
    DEMO_TILL,
    { 'Idempotency-Key': 'keys-migration-1' },
  );
  expect(itemOf(idempotent).item_status.code).toBe(800);
  const spent = itemOf(await redeem(t, { points_redeemed: 100, customer: { mobile: a.mobile } }));
  expect(spent.item_status.code).toBe(800);
  const reversed = await reverse(t, {
    redemptionId: itemOf(idempotent).redemption_id,
    pointsToReverse: 5,
    customer: { mobile: a.mobile },
  });
  expect(reversed.status).toBe(200);
  // A refusal (tallied), a code issued and used, a missed call used.
  expect(
    itemOf(await redeem(t, { points_redeemed: 1e6, customer: { mobile: b.mobile } })).item_status
      .code,
  ).not.toBe(800);
  const code = await issueAndRead(t, b);
  const validated = await redeem(
    t,
    { points_redeemed: 7, customer: { mobile: b.mobile }, validation_code: code },
    {},
  );
  expect(itemOf(validated).item_status.code).toBe(800);
  expect((await admin(t, 'post', '/admin/missed-calls', { mobile: b.mobile })).status).toBe(201);
  const byCall = await redeem(
    t,
    { points_redeemed: 3, customer: { mobile: b.mobile } },
    {
      validation_type: 'MISSED_CALL',
    },
  );
  expect(itemOf(byCall).item_status.code).toBe(800);

  // A group with a wallet of its own, a custom field, a program, a till.
  const group = await admin(t, 'post', '/admin/groups', {
    external_id: 'keys-family',
    primary_customer_id: a.id,
    member_ids: [b.id],
  });
  expect(group.status).toBe(201);
  const groupId = (group.body as { id: number }).id;
  await credit(t, { group_id: groupId, points: 50 });
  expect((await admin(t, 'post', '/admin/custom-fields', { name: 'keys_field' })).status).toBe(201);
  const program = await admin(t, 'post', '/admin/programs', { name: 'Keys', min_redeem: 1 });
  expect(program.status).toBe(201);
  await credit(t, {
    customer_id: c.id,
    program_id: (program.body as { id: number }).id,
    points: 9,
  });
  const till = await admin(t, 'post', '/admin/tills', {
    username: 'demo.keys',
    password: 'keys.pass',
    access_group: 'Default',
  });
  expect(till.status).toBe(201);
}

describe('the keys led by org (migration KeysLedByOrg)', () => {
  let t: TestApp;
  let migrations: DataSource;

  beforeAll(async () => {
    t = await startTestApp('keys_migration', { NOTIFICATION_POLL_MS: '0' });
    migrations = new DataSource(dataSourceOptions(t.databaseUrl, 1));
    await migrations.initialize();
  });
  afterAll(async () => {
    await migrations.destroy();
    await t.close();
  });

  it('leaves a schema a distributed database would take, by org (citus_ready.sql finds nothing)', async () => {
    expect(await citusProblems(t)).toEqual([]);
  });

  /** Reverts the migrations after KeysLedByOrg, then KeysLedByOrg itself. */
  async function undoThroughKeys(): Promise<void> {
    for (;;) {
      const { rows } = await t.pg.query<{ name: string }>(
        'SELECT name FROM migrations ORDER BY id DESC LIMIT 1',
      );
      await migrations.undoLastMigration({ transaction: 'all' });
      if (rows[0].name === KEYS_MIGRATION) break;
    }
  }

  /**
   * fillThroughTheApi on the schema before KeysLedByOrg. Today's service reads `lot.is_open`,
   * which a later migration (LotSpendsInPlace) adds, and looks for webhook subscribers in a
   * table another (EventsOut) adds: they are there for the fill only.
   */
  async function fillBelowTheKeys(): Promise<void> {
    const later = [new LotSpendsInPlace1766100000000(), new EventsOut1766200000000()];
    const q = migrations.createQueryRunner();
    try {
      for (const m of later) await m.up(q);
      await fillThroughTheApi(t);
      for (const m of later.reverse()) await m.down(q);
    } finally {
      await q.release();
    }
  }

  /** The tables migrations after KeysLedByOrg create: empty after it, then set aside. */
  const LATER_TABLES = ['event', 'webhook_delivery', 'webhook_endpoint'];
  function withoutLaterTables(all: Record<string, string[]>): Record<string, string[]> {
    for (const table of LATER_TABLES) {
      expect({ table, rows: all[table] }).toEqual({ table, rows: [] });
      delete all[table];
    }
    all.sequences = all.sequences.filter(
      (s) => !LATER_TABLES.some((table) => s.startsWith(`${table}_id_seq=`)),
    );
    return all;
  }

  it('moves a database filled through the API without losing or changing a row, both ways', async () => {
    // Back to the schema before it, filled by the service through its API there.
    await undoThroughKeys();
    expect((await citusProblems(t)).length).toBeGreaterThan(0);
    await fillBelowTheKeys();
    const before = await everything(t);
    for (const [table, rows] of Object.entries(before)) {
      if (table !== 'sequences')
        expect({ table, empty: rows.length === 0 }).toEqual({ table, empty: false });
    }

    await migrations.runMigrations({ transaction: 'all' });
    expect(withoutLaterTables(await everything(t))).toEqual(before);
    expect(await citusProblems(t)).toEqual([]);
    const { rows: types } = await t.pg.query<{ type: string }>(
      `SELECT DISTINCT data_type AS type FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> 'migrations'
          AND (column_name = 'org_id' OR column_name = 'id' OR column_name LIKE '%\\_id' ESCAPE '\\')
          AND data_type NOT IN ('text')`,
    );
    expect(types.map((r) => r.type)).toEqual(['bigint']);

    // And back down, and up again: nothing lost either way.
    await undoThroughKeys();
    expect(await everything(t)).toEqual(before);
    await migrations.runMigrations({ transaction: 'all' });
    expect(withoutLaterTables(await everything(t))).toEqual(before);

    // The service goes on as before on the new keys.
    const c = await makeCustomer(t, [{ points: 10 }]);
    const after = itemOf(await redeem(t, { points_redeemed: 4, customer: { mobile: c.mobile } }));
    expect(after.item_status.code).toBe(800);
    const got = await request(t.url)
      .get('/v1.1/customer/get')
      .query({ mobile: c.mobile, format: 'json' })
      .set('Authorization', DEMO_TILL);
    expect(got.status).toBe(200);
    await expectLedgerOk(t);
  });

  it('writes ids as it did before they were bigint: unbounded tables as strings, the rest as numbers', async () => {
    const c = await makeCustomer(t, [{ points: 10 }]);
    const credited = await admin(t, 'post', '/admin/points/credit', {
      customer_id: c.id,
      points: 5,
    });
    const lot = (credited.body as { lot: Record<string, unknown> }).lot;
    expect([typeof lot.id, typeof lot.wallet_id, typeof lot.program_id]).toEqual([
      'string',
      'string',
      'number',
    ]);
    const call = await admin(t, 'post', '/admin/missed-calls', { mobile: c.mobile });
    expect(typeof (call.body as { id: unknown }).id).toBe('string');
    const calls = await admin(t, 'get', '/admin/missed-calls');
    expect(typeof (calls.body as { id: unknown }[])[0].id).toBe('string');
    const customer = await admin(t, 'get', `/admin/customers/${c.id}`);
    const body = customer.body as { id: unknown; wallets: { wallet_id: unknown }[] };
    expect([typeof body.id, typeof body.wallets[0].wallet_id]).toEqual(['number', 'string']);
    const redeemed = itemOf(
      await redeem(t, { points_redeemed: 1, customer: { mobile: c.mobile } }),
    );
    const effect = (
      redeemed as unknown as {
        side_effects: { effect: { id: unknown; points_redemption_summary_id: unknown }[] };
      }
    ).side_effects.effect[0];
    expect([typeof effect.id, typeof effect.points_redemption_summary_id]).toEqual([
      'number',
      'string',
    ]);
  });

  it('a change of what a prepared statement returns costs no request: stale connections are replaced', async () => {
    const c = await makeCustomer(t, [{ points: 100 }]);
    const redeemOne = async () =>
      itemOf(await redeem(t, { points_redeemed: 1, customer: { mobile: c.mobile } })).item_status
        .code;
    // Every connection of the pool prepares the redemption's statements.
    const first = await Promise.all(Array.from({ length: 12 }, redeemOne));
    expect(first.every((code) => code === 800)).toBe(true);
    // A migration changes the type of a column they return (as KeysLedByOrg did).
    await t.pg.query('ALTER TABLE wallet ALTER COLUMN balance TYPE numeric(19,3)');
    try {
      const after = await Promise.all(Array.from({ length: 12 }, redeemOne));
      expect(after).toEqual(Array.from({ length: 12 }, () => 800));
      const again = await request(t.url)
        .get('/v1.1/customer/get')
        .query({ mobile: c.mobile, format: 'json' })
        .set('Authorization', DEMO_TILL);
      expect(again.status).toBe(200);
    } finally {
      await t.pg.query('ALTER TABLE wallet ALTER COLUMN balance TYPE numeric(18,3)');
    }
    expect(await redeemOne()).toBe(800);
    await expectLedgerOk(t);
  });
});
