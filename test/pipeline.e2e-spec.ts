import { Pool, PoolClient } from 'pg';
import { pipeline } from '../src/database/pipeline';
import { createTestDatabase, TestDatabase } from './support/test-app';

/** Statements sent several to a round trip, against a real server (database/pipeline.ts). */
describe('pipeline: several statements, one round trip', () => {
  let database: TestDatabase;
  let pool: Pool;
  let client: PoolClient;

  beforeAll(async () => {
    database = await createTestDatabase('pipeline');
    pool = new Pool({ connectionString: database.url, max: 2 });
    await pool.query('CREATE TABLE item (id int PRIMARY KEY, label text NOT NULL)');
    client = await pool.connect();
  });

  afterAll(async () => {
    client.release();
    await pool.end();
    await database.drop();
  });

  /** Statements this connection's server has prepared (named ones only). */
  const preparedOnServer = async (): Promise<string[]> =>
    (
      await client.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name')
    ).rows
      .map((r) => r.name)
      .filter((n) => n.startsWith('p-'));

  it('answers one result per statement, in order, with rows typed as the driver types them', async () => {
    const results = await pipeline(client, [
      { name: 'p-begin', text: 'BEGIN' },
      { name: 'p-insert', text: 'INSERT INTO item VALUES ($1, $2)', params: [1, 'one'] },
      { name: 'p-insert', text: 'INSERT INTO item VALUES ($1, $2)', params: [2, "it's \\ two"] },
      { text: 'SELECT id, label FROM item WHERE id = ANY($1) ORDER BY id', params: [[1, 2]] },
      { name: 'p-commit', text: 'COMMIT' },
    ]);
    expect(results.map((r) => r.command)).toEqual([
      'BEGIN',
      'INSERT',
      'INSERT',
      'SELECT',
      'COMMIT',
    ]);
    expect(results[1].rowCount).toBe(1);
    expect(results[3].rows).toEqual([
      { id: 1, label: 'one' },
      { id: 2, label: "it's \\ two" },
    ]);
    // Named statements are parsed once, by the first pipeline that uses them.
    expect(await preparedOnServer()).toEqual(['p-begin', 'p-commit', 'p-insert']);
  });

  it('reuses what it prepared, and shares the names with the driver own prepared statements', async () => {
    const [, inserted] = await pipeline(client, [
      { name: 'p-begin', text: 'BEGIN' },
      { name: 'p-insert', text: 'INSERT INTO item VALUES ($1, $2)', params: [3, 'three'] },
      { name: 'p-commit', text: 'COMMIT' },
    ]);
    expect(inserted.rowCount).toBe(1);
    // The driver knows the statement is prepared: no second Parse (it would fail).
    const viaDriver = await client.query({
      name: 'p-insert',
      text: 'INSERT INTO item VALUES ($1, $2)',
      values: [4, 'four'],
    });
    expect(viaDriver.rowCount).toBe(1);
    expect((await client.query('SELECT count(*)::int AS n FROM item')).rows).toEqual([{ n: 4 }]);
  });

  it('stops at the first error: later statements, and Parse messages, are skipped', async () => {
    await expect(
      pipeline(client, [
        { name: 'p-begin', text: 'BEGIN' },
        { name: 'p-insert', text: 'INSERT INTO item VALUES ($1, $2)', params: [1, 'taken'] },
        { name: 'p-late', text: 'INSERT INTO item VALUES ($1, $2)', params: [9, 'late'] },
      ]),
    ).rejects.toMatchObject({ code: '23505' });
    // The transaction BEGIN opened is failed, as after any error in it.
    await expect(client.query('SELECT 1')).rejects.toMatchObject({ code: '25P02' });
    await client.query('ROLLBACK');
    // p-late never reached the server, and the next pipeline that needs it parses it then.
    expect(await preparedOnServer()).not.toContain('p-late');
    const [, late] = await pipeline(client, [
      { name: 'p-begin', text: 'BEGIN' },
      { name: 'p-late', text: 'INSERT INTO item VALUES ($1, $2)', params: [9, 'late'] },
      { name: 'p-commit', text: 'COMMIT' },
    ]);
    expect(late.rowCount).toBe(1);
    expect((await client.query('SELECT label FROM item WHERE id = 9')).rows).toEqual([
      { label: 'late' },
    ]);
  });

  it('refuses a parameter the driver cannot send before writing anything', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(
      pipeline(client, [
        { name: 'p-begin', text: 'BEGIN' },
        { text: 'SELECT $1::jsonb', params: [circular] },
      ]),
    ).rejects.toThrow();
    // Nothing was sent, not even BEGIN: the connection is outside any transaction.
    expect((await client.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    await expect(client.query('SAVEPOINT s')).rejects.toMatchObject({ code: '25P01' });
  });

  it('refuses one name for two texts', async () => {
    await expect(pipeline(client, [{ name: 'p-insert', text: 'SELECT 1' }])).rejects.toThrow(
      /two texts/,
    );
    expect((await client.query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }]);
  });
});
