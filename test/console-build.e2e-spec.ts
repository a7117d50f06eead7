import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';

// The built console as the service serves it (no browser needed): one origin, nothing from
// elsewhere, within its size budget. Needs `npm run build` first (npm test does it).

const DIST = join(__dirname, '..', 'dist', 'console');
const BUDGET_GZIP_BYTES = 300 * 1024;

describe('the console as served at /console', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('console_build');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('its JavaScript is at most 300 KB gzipped', () => {
    const assets = readdirSync(join(DIST, 'assets')).filter((f) => f.endsWith('.js'));
    expect(assets.length).toBeGreaterThan(0);
    const gzipped = assets.reduce(
      (sum, f) => sum + gzipSync(readFileSync(join(DIST, 'assets', f))).length,
      0,
    );
    expect(gzipped).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });

  it('loads nothing from another origin', () => {
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    expect(html).not.toMatch(/(src|href)=["'](https?:)?\/\//i);
    for (const f of readdirSync(join(DIST, 'assets')).filter((x) => x.endsWith('.css'))) {
      expect(readFileSync(join(DIST, 'assets', f), 'utf8')).not.toMatch(
        /url\(["']?(https?:)?\/\//i,
      );
    }
  });

  it('serves the app with a same-origin CSP, on any path under /console, without credentials', async () => {
    for (const path of ['/console/', '/console/customers/1', '/console/audit']) {
      const res = await request(t.url).get(path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('<div id="root">');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
    const redirect = await request(t.url).get('/console');
    expect([200, 301, 302]).toContain(redirect.status);
    const asset = readdirSync(join(DIST, 'assets')).find((f) => f.endsWith('.js'))!;
    const js = await request(t.url).get(`/console/assets/${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await request(t.url).get('/console/assets/missing.js')).status).toBe(404);
  });

  it('the admin API behind it still needs an admin', async () => {
    expect((await request(t.url).get('/admin/config')).status).toBe(401);
  });
});
