import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, Locator, Page } from 'playwright-core';
import { describeInBrowser, launchChromium } from './support/browser';
import { Webhook } from 'standardwebhooks';
import { admin, credit } from './support/api';
import { DEMO_MOBILE } from './support/credentials';
import { startTestApp, TestApp } from './support/test-app';
import { eventually, Received, WebhookReceiver } from './support/webhook-receiver';

// The console's Webhooks screen in a real browser (DESIGN.md §12 and §16): Debian's Chromium
// driven by playwright-core, controls found by role and label, events received by a real
// loopback receiver and verified with the official Standard Webhooks library.

const describeBrowser = describeInBrowser("the console's Webhooks screen");

// Screenshots to look at, never committed.
const LOOKS = join(tmpdir(), 'console-screenshots');

interface EventBody {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

interface Endpoint {
  id: number;
  url: string;
  events: string[];
  enabled: boolean;
  failing: boolean;
}

describeBrowser("operator console's Webhooks screen in Chromium", () => {
  let t: TestApp;
  let rx: WebhookReceiver;
  let browser: Browser;
  let page: Page;
  let customerId: number;
  // Shared by the tests below, in order: the endpoint the first one adds, and its secrets.
  let okId: number;
  let firstSecret: string;
  let rotatedSecret: string;

  beforeAll(async () => {
    rx = await new WebhookReceiver().start();
    t = await startTestApp('console_webhooks', {
      RATE_LIMIT_PER_MINUTE: '100000',
      // The receiver is on loopback, which the service refuses by default.
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_POLL_MS: '100',
      WEBHOOK_TIMEOUT_MS: '3000',
      // Two attempts a second apart, so that a dead receiver's delivery fails within the test.
      WEBHOOK_BACKOFF_SECONDS: '0,1',
    });
    const { rows } = await t.pg.query<{ id: number }>('SELECT id FROM customer WHERE mobile = $1', [
      DEMO_MOBILE,
    ]);
    customerId = rows[0].id;
    mkdirSync(LOOKS, { recursive: true });
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // A fresh browser's first page and screenshot are slow (fonts, caches): warm it up.
    await page.goto(`${t.url}/console/`);
    await page.screenshot({
      path: join(tmpdir(), 'console-webhooks-warm-up.png'),
      timeout: 60_000,
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await rx?.stop();
  });

  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
  const region = (name: string): Locator => page.getByRole('region', { name, exact: true });
  const button = (scope: Locator, name: string) => scope.getByRole('button', { name, exact: true });
  const endpoints = () => region('Endpoints');
  // By its own button: at 390 px a cell's name also carries its column's header.
  const endpointRow = (id: number) =>
    endpoints()
      .getByRole('row')
      .filter({
        has: page.getByRole('button', { name: `Deliveries of endpoint ${id}`, exact: true }),
      });
  /** The cell of `row` in the column headed `header` of `table`. */
  const cellUnder = async (table: Locator, row: Locator, header: string) => {
    const headers = await table.getByRole('columnheader').allInnerTexts();
    expect(headers).toContain(header);
    return row.getByRole('cell').nth(headers.indexOf(header));
  };
  const listed = async (): Promise<Endpoint[]> =>
    (await admin(t, 'get', '/admin/webhooks')).body as Endpoint[];
  const verify = (secret: string, r: Received) =>
    new Webhook(secret).verify(r.body, r.headers) as EventBody;

  /** Adds an endpoint from the form and returns its id and the secret the panel shows. */
  const addEndpoint = async (url: string, events: string[]) => {
    const form = region('Add an endpoint');
    await form.getByLabel('Endpoint URL').fill(url);
    for (const type of events) await form.getByRole('checkbox', { name: type }).check();
    await button(form, 'Add endpoint').click();
    const panel = page.getByRole('region', { name: /^Secret of endpoint \d+$/ });
    await panel.waitFor();
    const id = Number(/\d+$/.exec((await panel.getByRole('heading').innerText()).trim())![0]);
    return { id, panel, secret: await panel.getByLabel('Signing secret').inputValue() };
  };

  it('adds an endpoint: events required, the API message at the URL field, then the secret once', async () => {
    await page.goto(`${t.url}/console/`);
    await page.getByLabel('Username').fill('demo.admin');
    await page.getByLabel('Password').fill('admin.pass');
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await nav('Webhooks');
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await endpoints().getByText('No endpoints yet').waitFor();

    const form = region('Add an endpoint');
    const url = form.getByLabel('Endpoint URL');
    await url.fill(`${rx.url}/ok/console`);
    await button(form, 'Add endpoint').click();
    await form.getByText('Choose at least one event').waitFor();
    const events = form.getByRole('group', { name: 'Events to send' });
    expect(await events.getAttribute('aria-describedby')).toBeTruthy();

    // Refused by the API: its message shows at the URL field.
    await url.fill('ftp://example.com/hook');
    // The keyboard is enough: Space ticks a box, Enter in a field submits.
    await form.getByRole('checkbox', { name: 'points.credited' }).press('Space');
    expect(await form.getByRole('checkbox', { name: 'points.credited' }).isChecked()).toBe(true);
    await url.press('Enter');
    await page.waitForFunction(
      (input) => input?.getAttribute('aria-invalid') === 'true',
      await url.elementHandle(),
    );
    const described = (await url.getAttribute('aria-describedby'))!.split(' ');
    const errorId = described.find((id) => id.endsWith('-error'))!;
    expect(await form.locator(`[id="${errorId}"]`).innerText()).toBe('must be http or https');
    expect(await events.getAttribute('aria-describedby')).toBeNull();
    await form.screenshot({ path: join(LOOKS, 'console-webhooks-form-error.png') });
    expect(await listed()).toEqual([]);

    await url.fill(`${rx.url}/ok/console`);
    await url.press('Enter');
    const panel = page.getByRole('region', { name: /^Secret of endpoint \d+$/ });
    await panel.waitFor();
    okId = Number(/\d+$/.exec(await panel.getByRole('heading').innerText())![0]);
    firstSecret = await panel.getByLabel('Signing secret').inputValue();
    expect(firstSecret).toMatch(/^whsec_[A-Za-z0-9+/=]{20,}$/);
    await panel.getByText('it will not be shown again').waitFor();
    // Moved to the panel, so that a screen reader hears of it and the page shows it.
    await page.waitForFunction(
      () => document.activeElement?.textContent?.startsWith('Secret of endpoint') === true,
    );
    await page.screenshot({ path: join(LOOKS, 'console-webhooks-secret.png'), fullPage: true });

    await button(panel, 'Copy secret').click();
    await panel.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(firstSecret);
    // Where the browser offers no clipboard, the secret is selected to copy by hand.
    await page.evaluate(() =>
      Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true }),
    );
    await button(panel, 'Copy secret').click();
    await panel.getByText('the secret is selected').waitFor();
    await panel.screenshot({ path: join(LOOKS, 'console-webhooks-copy.png') });
    expect(
      await page.evaluate(() => {
        const input = document.activeElement as HTMLInputElement;
        return input.value.slice(input.selectionStart ?? 0, input.selectionEnd ?? 0);
      }),
    ).toBe(firstSecret);

    const [hook] = await listed();
    expect(hook).toMatchObject({
      id: okId,
      url: `${rx.url}/ok/console`,
      events: ['points.credited'],
      enabled: true,
      failing: false,
    });
    const row = endpointRow(okId);
    await row.getByText(`${rx.url}/ok/console`).waitFor();
    await row.getByText('points.credited').waitFor();
    await row.getByText('Enabled', { exact: true }).waitFor();

    await button(panel, 'Done, I have stored it').click();
    expect(await panel.count()).toBe(0);
    expect(await page.content()).not.toContain(firstSecret);
  });

  it('a credit reaches the receiver, verified with standardwebhooks; Deliveries shows it delivered', async () => {
    await credit(t, { customer_id: customerId, points: '12.5', note: 'console webhook' });
    await eventually(() => rx.at('/ok/console').length >= 1, 10_000, 'the event');
    const [received] = rx.at('/ok/console');
    const event = verify(firstSecret, received);
    expect(event.type).toBe('points.credited');
    expect(event.data).toMatchObject({
      customer_id: String(customerId),
      points: '12.5',
      note: 'console webhook',
    });

    await button(endpointRow(okId), `Deliveries of endpoint ${okId}`).click();
    const deliveries = region(`Deliveries to endpoint ${okId}`);
    await page.waitForFunction(
      (heading) => document.activeElement?.textContent === heading,
      `Deliveries to endpoint ${okId}`,
    );
    const row = deliveries.getByRole('row').filter({ hasText: received.headers['webhook-id'] });
    await row.getByText('Delivered', { exact: true }).waitFor();
    await row.getByText('points.credited').waitFor();
    await row.getByText('HTTP 200').waitFor();
    await row.getByText('thanks').waitFor();
    expect(await deliveries.getByRole('row').count()).toBe(2); // the header and one delivery
    await page.screenshot({ path: join(LOOKS, 'console-webhooks-deliveries.png'), fullPage: true });
  });

  it('rotating shows a new secret once; the next event is signed with the new and the old', async () => {
    const row = endpointRow(okId);
    await button(row, `Rotate secret of endpoint ${okId}`).click();
    await row.getByText('The current one keeps signing beside it').waitFor();
    await endpoints().screenshot({ path: join(LOOKS, 'console-webhooks-rotate.png') });
    await button(row, `Rotate now the secret of endpoint ${okId}`).click();
    const panel = region(`New secret of endpoint ${okId}`);
    await panel.waitFor();
    await panel.getByText('it will not be shown again').waitFor();
    await panel.getByText(/The old secret keeps signing beside this one until \d{4}-/).waitFor();
    rotatedSecret = await panel.getByLabel('Signing secret').inputValue();
    expect(rotatedSecret).toMatch(/^whsec_/);
    expect(rotatedSecret).not.toBe(firstSecret);
    await row.getByText('Rotated: the old secret also signs until').waitFor();

    await credit(t, { customer_id: customerId, points: 3 });
    await eventually(() => rx.at('/ok/console').length >= 2, 10_000, 'the second event');
    const second = rx.at('/ok/console')[1];
    expect(verify(rotatedSecret, second).data.points).toBe('3');
    expect(verify(firstSecret, second).data.points).toBe('3');
    await button(panel, 'Done, I have stored it').click();
  });

  it('a disabled endpoint gets no delivery for a new credit', async () => {
    const row = endpointRow(okId);
    await button(row, `Disable endpoint ${okId}`).click();
    await endpoints().getByText(`Endpoint ${okId} disabled`).waitFor();
    await row.getByText('Disabled', { exact: true }).waitFor();
    await button(row, `Enable endpoint ${okId}`).waitFor();
    expect((await listed()).find((e) => e.id === okId)?.enabled).toBe(false);

    await credit(t, { customer_id: customerId, points: 4 });
    // Many of the sender's rounds (every 100 ms) go by.
    await new Promise((r) => setTimeout(r, 1500));
    expect(rx.at('/ok/console')).toHaveLength(2);
    const { rows } = await t.pg.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM webhook_delivery WHERE endpoint_id = $1',
      [okId],
    );
    expect(rows[0].n).toBe(2);
    const deliveries = region(`Deliveries to endpoint ${okId}`);
    await button(deliveries, 'Refresh deliveries').click();
    await deliveries.getByText('This endpoint is disabled').waitFor();
    expect(await deliveries.getByRole('row').count()).toBe(3);
  });

  it('a failing receiver: the delivery ends failed, the endpoint shows Failing, and Retry sends the same webhook-id again', async () => {
    const failing = await addEndpoint(`${rx.url}/fail/console`, ['points.credited']);
    await button(failing.panel, 'Done, I have stored it').click();
    await credit(t, { customer_id: customerId, points: 5 });
    await eventually(() => rx.at('/fail/console').length >= 2, 10_000, 'both attempts');
    const webhookId = rx.at('/fail/console')[0].headers['webhook-id'];
    expect(rx.at('/fail/console').map((r) => r.headers['webhook-id'])).toEqual([
      webhookId,
      webhookId,
    ]);

    await button(endpointRow(failing.id), `Deliveries of endpoint ${failing.id}`).click();
    const deliveries = region(`Deliveries to endpoint ${failing.id}`);
    const row = deliveries.getByRole('row').filter({ hasText: webhookId });
    // The screen reads the list again by itself while a delivery is pending.
    await row.getByText('Failed', { exact: true }).waitFor();
    await row.getByText('HTTP 500').waitFor();
    await row.getByText('not now').waitFor();
    await row.getByText('None: every attempt failed').waitFor();
    const attempts = await cellUnder(deliveries, row, 'Attempts');
    expect(await attempts.innerText()).toBe('2');
    // ...and the endpoints with it: the Failing mark shows without a reload.
    await endpointRow(failing.id).getByText('Failing', { exact: true }).waitFor();
    await endpoints().getByText('1 endpoint is failing').waitFor();
    expect(await endpointRow(okId).getByText('Failing', { exact: true }).count()).toBe(0);
    expect((await listed()).find((e) => e.id === failing.id)?.failing).toBe(true);
    await page.screenshot({ path: join(LOOKS, 'console-webhooks-failing.png'), fullPage: true });

    // The list is held back while the retry goes out, so that the row's own "pending" is seen.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/admin/webhooks/*/deliveries**', async (route) => {
      await held;
      await route.continue();
    });
    const deliveryId = (await (await cellUnder(deliveries, row, 'Id')).innerText()).trim();
    await button(row, `Retry delivery ${deliveryId}`).click();
    await row.getByText('Pending', { exact: true }).waitFor();
    await deliveries.screenshot({ path: join(LOOKS, 'console-webhooks-retried.png') });
    await deliveries.getByText(`Delivery ${deliveryId} (points.credited) is sent again`).waitFor();
    await eventually(() => rx.at('/fail/console').length >= 3, 10_000, 'the retry');
    expect(rx.at('/fail/console')[2].headers['webhook-id']).toBe(webhookId);
    expect(verify(failing.secret, rx.at('/fail/console')[2]).type).toBe('points.credited');
    release();
    // Lets the held requests through before the interception ends.
    await page.unrouteAll({ behavior: 'wait' });
    await row.getByText('Failed', { exact: true }).waitFor();
    await attempts.getByText('3', { exact: true }).waitFor();
  });

  it('readable at 390 px wide, deliveries included', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await nav('Webhooks');
      await endpointRow(okId).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        390,
      );
      await button(endpointRow(okId), `Deliveries of endpoint ${okId}`).click();
      await region(`Deliveries to endpoint ${okId}`).getByText('Delivered').first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        390,
      );
      await page.screenshot({ path: join(LOOKS, 'console-webhooks-390.png'), fullPage: true });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('edits the events of an endpoint: at least one, saved as ticked', async () => {
    await nav('Webhooks');
    const row = endpointRow(okId);
    await button(row, `Edit events of endpoint ${okId}`).click();
    const group = row.getByRole('group', { name: `Events of endpoint ${okId}` });
    await group.getByRole('checkbox', { name: 'points.credited' }).uncheck();
    await button(row, `Save events of endpoint ${okId}`).click();
    await group.getByText('Choose at least one event').waitFor();
    await endpoints().screenshot({ path: join(LOOKS, 'console-webhooks-edit-events.png') });
    expect((await listed()).find((e) => e.id === okId)?.events).toEqual(['points.credited']);

    await group.getByRole('checkbox', { name: 'points.credited' }).check();
    await group.getByRole('checkbox', { name: 'redemption.created' }).check();
    await button(row, `Save events of endpoint ${okId}`).click();
    await endpoints().getByText(`Events of endpoint ${okId} saved`).waitFor();
    expect(await group.count()).toBe(0);
    expect(
      (await listed())
        .find((e) => e.id === okId)
        ?.events.slice()
        .sort(),
    ).toEqual(['points.credited', 'redemption.created']);
    await row.getByText('redemption.created').waitFor();
    await page.screenshot({ path: join(LOOKS, 'console-webhooks-endpoints.png'), fullPage: true });
  });

  it('the audit log lists each webhook change, and never a secret', async () => {
    await nav('Audit log');
    const entries = region('Entries');
    await entries.getByText('webhook.create').first().waitFor();
    const text = await entries.innerText();
    for (const action of [
      'webhook.create',
      'webhook.update',
      'webhook.rotate',
      'webhook.delivery_retry',
    ]) {
      expect(text).toContain(action);
    }
    expect(text).not.toContain(firstSecret);
    expect(text).not.toContain(rotatedSecret);
  });

  it('the service down shows a message and a way to try again', async () => {
    await page.route('**/admin/webhooks', (route) => route.abort());
    await nav('Webhooks');
    const down = endpoints().getByText('Cannot reach the service');
    await down.waitFor();
    await page.unroute('**/admin/webhooks');
    await button(endpoints(), 'Try again').click();
    await endpointRow(okId).waitFor();
    expect(await down.count()).toBe(0);
  });
});
