import { createHash } from 'node:crypto';
import request from 'supertest';
import { admin, createTill } from '../support/api';
import { basic, DEMO_ADMIN, md5 } from '../support/credentials';
import { startTestApp, TestApp } from '../support/test-app';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
/** A Basic header with the secret exactly as given (plain, MD5 hex or SHA-256 hex). */
const raw = (username: string, secret: string): string =>
  `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}`;

/** Every password is changeable: a till's by an admin, an admin's own (DESIGN §13). */
describe('password changes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('passwords', { AUTH_FAILURES_PER_MINUTE: '5' });
  });
  afterAll(async () => {
    await t.close();
  });

  const signIn = (authorization: string) =>
    request(t.url)
      .get('/v1.1/customer/get')
      .query({ mobile: '919900000001' })
      .set('Authorization', authorization);

  async function tillId(username: string): Promise<number> {
    const tills = await admin(t, 'get', '/admin/tills');
    return (tills.body as { id: number; username: string }[]).find((u) => u.username === username)!
      .id;
  }

  it("an admin sets a till's password: the old one fails at once, the new one works in every form", async () => {
    await createTill(t, 'demo.pw1', 'old secret 1');
    expect((await signIn(basic('demo.pw1', 'old secret 1'))).status).toBe(200);
    const id = await tillId('demo.pw1');

    const res = await admin(t, 'patch', `/admin/tills/${id}`, { password: 'new secret 22' });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('new secret 22');

    expect((await signIn(basic('demo.pw1', 'old secret 1'))).status).toBe(401);
    expect((await signIn(raw('demo.pw1', md5('new secret 22')))).status).toBe(200);
    expect((await signIn(raw('demo.pw1', sha256('new secret 22')))).status).toBe(200);
    expect((await signIn(raw('demo.pw1', 'new secret 22'))).status).toBe(200);

    // The audit entry says that it changed, and holds neither password nor verifier.
    const { rows } = await t.pg.query<{ after: unknown }>(
      `SELECT after FROM audit_log WHERE action = 'till.update' AND target_id = $1`,
      [String(id)],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].after).toMatchObject({ username: 'demo.pw1', password: 'changed' });
    const all = JSON.stringify((await t.pg.query('SELECT * FROM audit_log')).rows);
    for (const secret of [
      'new secret 22',
      md5('new secret 22'),
      sha256('new secret 22'),
      'scrypt$',
    ])
      expect(all).not.toContain(secret);
  });

  it('a password shorter than 8 characters is refused and changes nothing', async () => {
    await createTill(t, 'demo.pw2', 'old secret 2');
    const id = await tillId('demo.pw2');
    const res = await admin(t, 'patch', `/admin/tills/${id}`, { password: 'short' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('password');
    expect((await signIn(basic('demo.pw2', 'old secret 2'))).status).toBe(200);
  });

  it('an admin changes its own: a wrong current password is refused and counts as a failed sign-in', async () => {
    await createTill(t, 'demo.boss', 'boss secret 1', 'Admin');
    const me = basic('demo.boss', 'boss secret 1');
    const wrong = await admin(
      t,
      'post',
      '/admin/me/password',
      { current_password: 'not it', new_password: 'boss secret 2' },
      me,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('current_password');

    const ok = await admin(
      t,
      'post',
      '/admin/me/password',
      { current_password: 'boss secret 1', new_password: 'boss secret 2' },
      me,
    );
    expect(ok.status).toBe(204);
    expect((await admin(t, 'get', '/admin/config', undefined, me)).status).toBe(401);
    const now = basic('demo.boss', 'boss secret 2');
    expect((await admin(t, 'get', '/admin/config', undefined, now)).status).toBe(200);
    const { rows } = await t.pg.query<{ after: { password: string } }>(
      `SELECT after FROM audit_log WHERE action = 'till.password_change'`,
    );
    expect(rows.map((r) => r.after.password)).toEqual(['changed']);

    // Failed sign-ins from this address so far: the first suite's old password, the wrong
    // current password and the old one here. Two more wrong current passwords fill the budget
    // of 5, and the address may not sign in for a while, even with the right password.
    for (let i = 0; i < 2; i++) {
      const res = await admin(
        t,
        'post',
        '/admin/me/password',
        { current_password: `wrong ${i}`, new_password: 'boss secret 3' },
        now,
      );
      expect([400, 429]).toContain(res.status);
    }
    const locked = await admin(t, 'get', '/admin/config', undefined, DEMO_ADMIN);
    expect(locked.status).toBe(429);
  });
});
