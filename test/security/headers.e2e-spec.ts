import { Browser, Page } from 'playwright-core';
import { describeInBrowser, launchChromium } from '../support/browser';
import request from 'supertest';
import { DEMO_ADMIN, DEMO_MOBILE, DEMO_TILL } from '../support/credentials';
import { startTestApp, TestApp } from '../support/test-app';

// Security review, finding 4: /docs (Swagger UI) shares the origin with /admin and
// /console, so it gets the console's protections (a CSP that fits it, no framing), and
// every response of the service carries X-Content-Type-Options: nosniff.
jest.setTimeout(120_000);

const describeBrowser = describeInBrowser('/docs');

const METRICS_TOKEN = 'metrics-token-for-the-headers-test';

describe('security review: nosniff on every response; /docs framed by nobody', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('security_headers', { METRICS_TOKEN, BODY_LIMIT: '1kb' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const json = { 'Content-Type': 'application/json' };
  const cases: [string, () => request.Test, number][] = [
    [
      'a till read',
      () =>
        request(t.url)
          .get('/v1.1/customer/get')
          .query({ mobile: DEMO_MOBILE })
          .set('Authorization', DEMO_TILL),
      200,
    ],
    ['a till read as XML', () => request(t.url).get('/v1.1/customer/get?format=xml'), 401],
    ['no credentials', () => request(t.url).post('/v1.1/points/redeem'), 401],
    [
      'malformed JSON',
      () =>
        request(t.url)
          .post('/v1.1/points/redeem')
          .set('Authorization', DEMO_TILL)
          .set(json)
          .send('{"root":'),
      400,
    ],
    [
      'a body past BODY_LIMIT',
      () =>
        request(t.url)
          .post('/v1.1/points/redeem')
          .set('Authorization', DEMO_TILL)
          .set(json)
          .send(JSON.stringify({ root: { redeem: { notes: 'n'.repeat(4096) } } })),
      413,
    ],
    [
      'HEAD on a route that writes',
      () => request(t.url).head('/v1.1/points/redeem').set('Authorization', DEMO_TILL),
      405,
    ],
    ['a reversal error (v2)', () => request(t.url).post('/v2/points/reverse'), 401],
    ['admin', () => request(t.url).get('/admin/config').set('Authorization', DEMO_ADMIN), 200],
    [
      'an admin validation error',
      () => request(t.url).get('/admin/customers/abc').set('Authorization', DEMO_ADMIN),
      400,
    ],
    ['the console', () => request(t.url).get('/console/'), 200],
    ['the docs page', () => request(t.url).get('/docs'), 200],
    ['the docs script', () => request(t.url).get('/docs/swagger-ui-init.js'), 200],
    ['the OpenAPI document', () => request(t.url).get('/docs/openapi.json'), 200],
    ['the OpenAPI document as YAML', () => request(t.url).get('/docs-yaml'), 200],
    ['health', () => request(t.url).get('/health'), 200],
    ['liveness', () => request(t.url).get('/health/live'), 200],
    ['readiness', () => request(t.url).get('/health/ready'), 200],
    [
      'metrics',
      () => request(t.url).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`),
      200,
    ],
    ['metrics without the token', () => request(t.url).get('/metrics'), 401],
    ['an unknown path', () => request(t.url).get('/no/such/path'), 404],
    ['an unknown path under /v1.1', () => request(t.url).get('/v1.1/nothing'), 404],
  ];

  it.each(cases)(
    '%s answers with X-Content-Type-Options: nosniff',
    async (_label, send, status) => {
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    },
  );

  it.each(['/docs', '/docs/', '/docs/index.html', '/docs/swagger-ui-init.js', '/docs-yaml'])(
    '%s has a CSP with frame-ancestors none, X-Frame-Options DENY and no Referer',
    async (path) => {
      const res = await request(t.url).get(path);
      expect(res.status).toBe(200);
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    },
  );

  it('the console keeps its own CSP and gains X-Frame-Options', async () => {
    const res = await request(t.url).get('/console/');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  describeBrowser('in Chromium', () => {
    let browser: Browser;
    let page: Page;
    const violations: string[] = [];

    beforeAll(async () => {
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.setDefaultTimeout(30_000);
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          console.error(`Refused to load: ${e.violatedDirective} ${e.blockedURI}`);
        });
      });
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
    });

    it('Swagger UI renders under its CSP: scripts and styles load, operations are listed, nothing is refused', async () => {
      const failed: string[] = [];
      page.on('requestfailed', (r) => failed.push(r.url()));
      await page.goto(`${t.url}/docs`);
      await page.getByRole('heading', { name: /Points redemption service/ }).waitFor();
      // An operation from the document: the UI fetched it (connect-src) and its script ran.
      await page.getByText('/v1.1/points/redeem').first().waitFor();
      await page.getByRole('button', { name: 'Authorize' }).waitFor();
      // The stylesheet applied: Swagger UI's own layout, not the browser's default.
      const font = await page
        .locator('.swagger-ui')
        .first()
        .evaluate((el) => getComputedStyle(el).fontFamily);
      expect(font).toMatch(/sans-serif/);
      // "Try it out" calls this origin (connect-src 'self') and shows the answer.
      await page.locator('.opblock-summary-path', { hasText: /^\/health$/ }).click();
      await page.getByRole('button', { name: 'Try it out' }).click();
      await page.getByRole('button', { name: 'Execute' }).click();
      await page
        .locator('.live-responses-table .response-col_status', { hasText: '200' })
        .first()
        .waitFor();
      expect(violations).toEqual([]);
      expect(failed).toEqual([]);
    });

    it('another site cannot frame /docs or /console', async () => {
      for (const path of ['/docs/', '/console/']) {
        const framing = await browser.newPage();
        try {
          // A page of another origin (about:blank set by the test) embedding ours.
          await framing.setContent(
            `<iframe src="${t.url}${path}" width="800" height="600"></iframe>`,
          );
          const frame = await (await framing.waitForSelector('iframe')).contentFrame();
          await framing.waitForTimeout(500);
          const loaded = frame
            ? await frame
                .evaluate(() => document.location.href)
                .catch(() => 'not readable (blocked)')
            : 'no frame';
          expect(loaded).not.toBe(`${t.url}${path}`);
          expect(frame?.url()).not.toBe(`${t.url}${path}`);
        } finally {
          await framing.close();
        }
      }
    });
  });
});
