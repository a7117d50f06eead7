import request from 'supertest';
import { basic, DEMO_MOBILE, DEMO_TILL, OTHER_TILL, READONLY_TILL } from './support/credentials';
import { startTestApp, TestApp } from './support/test-app';

describe('foundation: health, auth, access groups, envelope, isolation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('foundation');
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /health is 200 with the database up', async () => {
    const res = await request(t.url).get('/health');
    expect(res.status).toBe(200);
    expect(res.body.details.database.status).toBe('up');
  });

  it('customer/get shows the seeded customer with 1000 points (MD5 secret)', async () => {
    const res = await request(t.url)
      .get('/v1.1/customer/get')
      .query({ mobile: DEMO_MOBILE })
      .set('Authorization', DEMO_TILL);
    expect(res.status).toBe(200);
    expect(res.headers['x-cap-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.response.status).toEqual({ success: 'true', code: 200, message: 'Success' });
    const [customer] = res.body.response.customers.customer;
    expect(customer.loyalty_points).toBe(1000);
    expect(customer.item_status.code).toBe(1000);
    expect(customer.points_summaries.points_summary[0]).toMatchObject({
      program_id: 1,
      loyalty_points: 1000,
    });
  });

  it('accepts the plain password as well as its MD5', async () => {
    const plain = `Basic ${Buffer.from('demo.till:demo.pass').toString('base64')}`;
    const res = await request(t.url)
      .get('/v1.1/customer/get')
      .query({ mobile: DEMO_MOBILE })
      .set('Authorization', plain);
    expect(res.status).toBe(200);
  });

  it('401 without credentials, with a Basic challenge', async () => {
    const res = await request(t.url).get('/v1.1/customer/get').query({ mobile: DEMO_MOBILE });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect(res.body).toEqual({
      response: { status: { success: 'false', code: 401, message: expect.any(String) } },
    });
  });

  it('401 bodies are identical for an unknown user and a wrong password', async () => {
    const unknown = await request(t.url)
      .get('/v1.1/customer/get')
      .set('Authorization', basic('nobody', 'x'));
    const wrong = await request(t.url)
      .get('/v1.1/customer/get')
      .set('Authorization', basic('demo.till', 'wrong'));
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.text).toBe(wrong.text);
  });

  it('403 when the access group lacks the permission', async () => {
    const res = await request(t.url)
      .post('/v1.1/points/redeem')
      .set('Authorization', READONLY_TILL)
      .set('Content-Type', 'application/json')
      .send({ root: { redeem: { points_redeemed: 1, customer: { mobile: DEMO_MOBILE } } } });
    expect(res.status).toBe(403);
    expect(res.body.response.status).toMatchObject({ success: 'false', code: 403 });
    const admin = await request(t.url).get('/admin/config').set('Authorization', DEMO_TILL);
    expect(admin.status).toBe(403);
  });

  it('a till of org other cannot see org demo customers', async () => {
    const res = await request(t.url)
      .get('/v1.1/customer/get')
      .query({ mobile: DEMO_MOBILE })
      .set('Authorization', OTHER_TILL);
    expect(res.status).toBe(200);
    expect(res.body.response.status.code).toBe(500);
    expect(res.body.response.customers.customer[0].item_status.code).toBe(816);
    expect(res.text).not.toContain('"loyalty_points"');
  });
});
