import pg from 'pg';

/** Runs `work` with a fresh connection to `url`, closed afterwards. */
export async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url, application_name: 'points-bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
