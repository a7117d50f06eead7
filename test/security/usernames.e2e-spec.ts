import { admin } from '../support/api';
import { OTHER_ADMIN } from '../support/credentials';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Usernames are global (Basic auth names no org), so a new one starts with the org's code:
 * an admin can no longer probe which names another org has (docs/security.md).
 */
describe("usernames: an admin learns nothing of another org's", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('usernames');
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (username: string, auth: string | undefined = undefined) =>
    admin(
      t,
      'post',
      '/admin/tills',
      { username, password: 'a long secret', access_group: 'Default' },
      auth,
    );

  it("another org's existing username and a free one outside the org's prefix get the same 400", async () => {
    const taken = await create('other.admin');
    const free = await create('other.nobody-has-this');
    for (const res of [taken, free]) {
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        response: {
          status: { success: 'false', code: 400, message: 'A new username starts with "demo."' },
          errors: [
            { field: 'username', message: 'must start with "demo." (the org\'s code and a dot)' },
          ],
        },
      });
    }
    expect(taken.text).toBe(free.text);
    const { rows } = await t.pg.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM app_user WHERE username LIKE 'other.nobody%'",
    );
    expect(rows[0].n).toBe(0);
  });

  it("a name in the org's own prefix is created, and taken again is 409 (the org's own users)", async () => {
    expect((await create('demo.store7')).status).toBe(201);
    const again = await create('demo.store7');
    expect(again.status).toBe(409);
    // The other org's admin works in its own prefix, and cannot see demo's.
    expect((await create('other.store7', OTHER_ADMIN)).status).toBe(201);
    expect((await create('demo.store8', OTHER_ADMIN)).status).toBe(400);
  });

  it('the prefix alone is not a username', async () => {
    expect((await create('demo.')).status).toBe(400);
  });
});
