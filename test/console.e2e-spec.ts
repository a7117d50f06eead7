import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, Locator, Page } from 'playwright-core';
import { describeInBrowser, launchChromium } from './support/browser';
import request from 'supertest';
import { admin, redeem } from './support/api';
import { basic, DEMO_MOBILE, DEMO_TILL } from './support/credentials';
import { isRedeemable, issueCode, latestCode } from './support/otp-helpers';
import { itemOf } from './support/redeem-helpers';
import { startTestApp, TestApp } from './support/test-app';

// The operator console in a real browser (DESIGN.md §12): Debian's Chromium driven by
// playwright-core, controls found by role and label as a person finds them. Needs
// `npm run build` first (npm test does it) and Chromium at CHROMIUM_PATH.

const describeBrowser = describeInBrowser('the console');

// Screenshots for the README go to docs/ when asked (CONSOLE_SCREENSHOTS=docs), else to a
// temporary folder: taken on every run, committed only on purpose.
const SHOTS =
  process.env.CONSOLE_SCREENSHOTS === 'docs'
    ? join(__dirname, '..', 'docs')
    : join(tmpdir(), 'console-screenshots');

// Screenshots to look at (not for the README): always to the temporary folder.
const LOOKS = join(tmpdir(), 'console-screenshots');

const MINUTE = 60_000;

describeBrowser('operator console in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    t = await startTestApp('console', { RATE_LIMIT_PER_MINUTE: '100000' });
    mkdirSync(SHOTS, { recursive: true });
    mkdirSync(LOOKS, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
    // A fresh browser's first page and screenshot are slow (fonts, caches): warm it up.
    await page.goto(`${t.url}/console/`);
    await page.screenshot({ path: join(tmpdir(), 'console-warm-up.png'), timeout: 60_000 });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const signIn = async (username: string, password: string) => {
    await page.goto(`${t.url}/console/`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    // The keyboard is enough: Enter submits the form.
    await page.getByLabel('Password').press('Enter');
  };
  const signOut = () => page.getByRole('button', { name: 'Sign out' }).click();
  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
  const region = (name: string): Locator => page.getByRole('region', { name });
  const findCustomer = async (q: string) => {
    await nav('Customers');
    await page.getByLabel('Find customer').fill(q);
    await page.getByRole('button', { name: 'Find customer' }).click();
  };
  // Only the seeded customer has that mobile: the search opens its page at once.
  const openSeededCustomer = async () => {
    await findCustomer(DEMO_MOBILE);
    await page.getByRole('heading', { level: 1, name: /^Customer \d+$/ }).waitFor();
  };
  const heightsOf = (fields: Locator[]) =>
    Promise.all(fields.map(async (f) => (await f.boundingBox())?.height));

  it('signs in with the seed admin and shows the dashboard', async () => {
    await signIn('demo.admin', 'admin.pass');
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await region('Ledger check').getByRole('button', { name: 'Run ledger check' }).click();
    await page.getByText(/Ledger check passed/).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBeGreaterThan(0);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });

  it('Settings: OTP validity 7 minutes, and a newly issued code lapses by it', async () => {
    await nav('Settings');
    const validity = page.getByLabel('OTP validity (minutes)');
    await validity.fill('7');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Settings saved.').waitFor();

    const { rows } = await t.pg.query<{ id: number }>('SELECT id FROM customer WHERE mobile = $1', [
      DEMO_MOBILE,
    ]);
    const customer = { id: rows[0].id, mobile: DEMO_MOBILE };
    const issued = await issueCode(t, { mobile: DEMO_MOBILE, points: '10' });
    expect(issued.status).toBe(200);
    const code = await latestCode(t, customer.id);
    const check = () =>
      isRedeemable(t, { mobile: DEMO_MOBILE, points: '10', validation_code: code });
    try {
      t.clock.advance(6 * MINUTE + 50_000);
      expect((await check()).body.response.points.redeemable.item_status.code).toBe(800);
      t.clock.advance(20_000); // 7 min 10 s after issuing
      expect((await check()).body.response.points.redeemable.item_status.code).toBe(808);
    } finally {
      t.clock.reset();
    }
  });

  it('an invalid setting shows the API message beside its field, and saves nothing', async () => {
    await nav('Settings');
    await page.getByLabel('OTP validity (minutes)').fill('0');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Validation failed').waitFor();
    const config = await request(t.url)
      .get('/admin/config')
      .set('Authorization', basic('demo.admin', 'admin.pass'));
    expect(config.body.otp_validity_minutes).toBe(7);
  });

  it('finds the seeded customer with 1000 points, credits 50 with an expiry and sees the lot', async () => {
    await openSeededCustomer();
    await region('Wallets').getByRole('cell', { name: '1000', exact: true }).first().waitFor();
    const credit = region('Credit points');
    await credit.getByLabel('Points to credit').fill('50');
    await credit.getByLabel('Expires at').fill('2031-05-17T10:30');
    await credit.getByLabel('Note').fill('goodwill from the console');
    await credit.getByRole('button', { name: 'Credit points' }).click();
    await page.getByText(/Credited 50 points/).waitFor();
    const lots = region('Open lots');
    await lots.getByText('goodwill from the console').waitFor();
    expect(await lots.innerText()).toMatch(/2031/);
  });

  it('a till redeems; the console reverses half and shows the balance and the ledger', async () => {
    const res = await redeem(
      t,
      {
        points_redeemed: 100,
        customer: { mobile: DEMO_MOBILE },
        transaction_number: 'console-bill-1',
      },
      { skip_validation: 'true' },
    );
    const item = itemOf(res);
    expect(item.item_status.code).toBe(800);
    expect(item.balance).toBe(950);
    await openSeededCustomer();
    const row = region('Redemptions').getByRole('row').filter({ hasText: item.redemption_id! });
    await row.getByLabel(`Points to reverse of ${item.redemption_id}`).fill('50');
    await row.getByRole('button', { name: `Reverse ${item.redemption_id}` }).click();
    await page.getByText(/50 points came back to the wallet/).waitFor();
    await page
      .getByText(/New balance: 1000\b/)
      .first()
      .waitFor();
    const ledger = region('Ledger history');
    await ledger.getByText('REVERSAL').first().waitFor();
    await page.screenshot({ path: join(SHOTS, 'console-customer.png'), fullPage: true });
  });

  it('creates a till that then works at the API', async () => {
    await nav('Tills');
    const create = region('Create till');
    await create.getByLabel('Username').fill('demo.console');
    await create.getByLabel('Password').fill('console-till-pass');
    await create.getByLabel('Access group').selectOption({ label: 'Default' });
    await create.getByRole('button', { name: 'Create till' }).click();
    await region('All tills').getByRole('cell', { name: 'demo.console', exact: true }).waitFor();
    const res = await request(t.url)
      .get('/v1.1/customer/get')
      .query({ mobile: DEMO_MOBILE })
      .set('Authorization', basic('demo.console', 'console-till-pass'));
    expect(res.status).toBe(200);
    expect(res.body.response.customers.customer[0].loyalty_points).toBe(1000);
  });

  it("changes a till's password from its row: the till signs in with the new one only", async () => {
    const lookup = (password: string) =>
      request(t.url)
        .get('/v1.1/customer/get')
        .query({ mobile: DEMO_MOBILE })
        .set('Authorization', basic('demo.console', password));
    await nav('Tills');
    const tills = region('All tills');
    await tills.getByRole('button', { name: 'Change password of demo.console' }).click();
    const field = tills.getByLabel('New password for demo.console', { exact: true });
    await field.fill('short');
    await tills.getByRole('button', { name: 'Save password of demo.console' }).click();
    await tills.getByText('Use at least 8 characters').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: join(LOOKS, 'console-tills.png'), fullPage: true });
    // Refused by the console before asking: the old password still signs in.
    expect((await lookup('console-till-pass')).status).toBe(200);

    await field.fill('console-till-pass-2');
    await tills.getByRole('button', { name: 'Save password of demo.console' }).click();
    await tills
      .getByText('Password of demo.console changed. The old one no longer works.')
      .waitFor();
    expect(await field.count()).toBe(0);
    const renewed = await lookup('console-till-pass-2');
    expect(renewed.status).toBe(200);
    expect(renewed.body.response.customers.customer[0].loyalty_points).toBe(1000);
    expect((await lookup('console-till-pass')).status).toBe(401);
  });

  it('marks the customer as fraud: the till gets 809', async () => {
    await openSeededCustomer();
    await page.getByLabel('Fraud status').selectOption('MARKED');
    await region('Profile').getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    const res = await redeem(
      t,
      { points_redeemed: 1, customer: { mobile: DEMO_MOBILE } },
      {
        skip_validation: 'true',
      },
      DEMO_TILL,
    );
    expect(itemOf(res).item_status.code).toBe(809);
  });

  it('a search with several matches lists each with its points per program', async () => {
    const fuel = await admin(t, 'post', '/admin/programs', { name: 'Fuel' });
    expect(fuel.status).toBe(201);
    const asha = await admin(t, 'post', '/admin/customers', {
      external_id: 'loyal-7',
      firstname: 'Asha',
    });
    const vikram = await admin(t, 'post', '/admin/customers', {
      card_number: 'loyal-7',
      firstname: 'Vikram',
    });
    expect([asha.status, vikram.status]).toEqual([201, 201]);
    for (const [points, program_id] of [
      [25, undefined],
      [5, fuel.body.id as number],
    ]) {
      const credit = await admin(t, 'post', '/admin/points/credit', {
        customer_id: asha.body.id,
        program_id,
        points,
      });
      expect(credit.status).toBe(201);
    }

    await findCustomer('loyal-7');
    const found = region('Find a customer');
    await found.getByText('2 customers match “loyal-7”.').waitFor();
    const row = (id: number) =>
      found
        .getByRole('row')
        .filter({ has: page.getByRole('link', { name: `Open customer ${id}`, exact: true }) });
    await row(asha.body.id).getByText('Default: 25').waitFor();
    await row(asha.body.id).getByText('Fuel: 5').waitFor();
    await row(vikram.body.id).getByText('No points yet').waitFor();
    await page.screenshot({ path: join(LOOKS, 'console-search.png'), fullPage: true });
  });

  it('a search with one match (a mobile in any shape) opens that customer with the points', async () => {
    const { rows } = await t.pg.query<{ id: number }>('SELECT id FROM customer WHERE mobile = $1', [
      DEMO_MOBILE,
    ]);
    await findCustomer('+91 99000 00001');
    await page.getByRole('heading', { level: 1, name: `Customer ${rows[0].id}` }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/customers/${rows[0].id}`);
    const wallet = region('Wallets').getByRole('row').filter({ hasText: 'Default' });
    await wallet.getByRole('cell', { name: '1000', exact: true }).first().waitFor();
    // The search gave way to the customer in the history: Back is the screen before it.
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor();
    expect(await page.getByRole('link', { name: /^Open customer/ }).count()).toBe(0);
  });

  it('text-like fields side by side are equally tall (customer and credit forms)', async () => {
    await nav('Customers');
    const create = region('Create customer');
    const heights = await heightsOf(
      ['Mobile', 'Email', 'External id', 'Card number', 'First name'].map((label) =>
        create.getByLabel(label, { exact: true }),
      ),
    );
    expect(heights[0]).toBeGreaterThan(30);
    expect(new Set(heights).size).toBe(1);
    await page.screenshot({ path: join(LOOKS, 'console-create-customer.png'), fullPage: true });

    await openSeededCustomer();
    const credit = region('Credit points');
    const creditHeights = await heightsOf([
      credit.getByLabel('Points to credit'),
      credit.getByLabel('Expires at'),
      credit.getByLabel('Note'),
    ]);
    expect(creditHeights).toEqual([heights[0], heights[0], heights[0]]);
  });

  it('the admin changes its own password from the header; the console carries on with it', async () => {
    const config = (password: string) =>
      request(t.url).get('/admin/config').set('Authorization', basic('demo.admin', password));
    const openDialog = async () => {
      await page.getByRole('button', { name: 'Change password', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Change your password' });
      await dialog.waitFor();
      return dialog;
    };
    const change = async (dialog: Locator, current: string, next: string, repeat = next) => {
      await dialog.getByLabel('Current password').fill(current);
      await dialog.getByLabel('New password', { exact: true }).fill(next);
      await dialog.getByLabel('Repeat new password').fill(repeat);
      await dialog.getByRole('button', { name: 'Save new password' }).click();
    };
    const changedNotice = page.getByText(
      'Your password has been changed. The console now signs in with the new one.',
    );

    await nav('Programs');
    let dialog = await openDialog();
    await change(dialog, 'admin.pass', 'admin.pass.2', 'admin.pass.3');
    await dialog.getByText('Does not match the new password').waitFor();
    await change(dialog, 'not-my-password', 'admin.pass.2');
    await dialog.getByText('is not your current password').waitFor();
    expect(await dialog.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: join(LOOKS, 'console-own-password.png') });
    expect((await config('admin.pass')).status).toBe(200);

    await change(dialog, 'admin.pass', 'admin.pass.2');
    await changedNotice.waitFor();
    expect(await dialog.isVisible()).toBe(false);
    expect((await config('admin.pass')).status).toBe(401);
    expect((await config('admin.pass.2')).status).toBe(200);

    // Still signed in, now with the new password: another screen loads its data.
    await nav('Tills');
    await region('All tills').getByRole('cell', { name: 'demo.console', exact: true }).waitFor();
    await page.getByText('Signed in as demo.admin').waitFor();
    expect(await changedNotice.count()).toBe(0);
    await nav('Programs');
    await page.getByRole('heading', { level: 1, name: 'Programs' }).waitFor();
    expect(await changedNotice.count()).toBe(0);
    const stored = await page.evaluate(() => JSON.stringify(Object.values(sessionStorage)));
    expect(stored).toContain(Buffer.from('demo.admin:admin.pass.2').toString('base64'));

    // And back (the later tests sign in with the seed password): the console asks with the
    // new one, so this works only if it really switched.
    dialog = await openDialog();
    await change(dialog, 'admin.pass.2', 'admin.pass');
    await changedNotice.waitFor();
    await nav('Settings');
    await page.getByLabel('OTP validity (minutes)').waitFor();
    expect((await config('admin.pass')).status).toBe(200);
  });

  it('the audit log shows each change with before and after', async () => {
    await nav('Audit log');
    const entries = region('Entries');
    await entries.getByText('config.update').first().waitFor();
    const text = await entries.innerText();
    for (const action of [
      'config.update',
      'points.credit',
      'redemption.reverse',
      'till.create',
      'till.update',
      'till.password_change',
      'customer.update',
    ]) {
      expect(text).toContain(action);
    }
    expect(text).toMatch(/"password":\s*"changed"/);
    expect(text).not.toContain('admin.pass.2');
    expect(text).toMatch(/"otp_validity_minutes":\s*15/);
    expect(text).toMatch(/"otp_validity_minutes":\s*7/);
    expect(text).toMatch(/"fraud_status":\s*"MARKED"/);
    expect(text).not.toContain('console-till-pass');
  });

  it('the dashboard charts the redemption; readable at 390 px; the API down shows a message', async () => {
    await nav('Dashboard');
    await page.getByTestId('total-redemptions').waitFor();
    expect(Number(await page.getByTestId('total-redemptions').innerText())).toBeGreaterThanOrEqual(
      1,
    );
    await region('Refused redemptions').getByText('809').waitFor();
    await page.screenshot({ path: join(SHOTS, 'console-dashboard.png'), fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await nav('Customers');
    await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.route('**/admin/stats**', (route) => route.abort());
    await nav('Dashboard');
    await page.getByText('Cannot reach the service').first().waitFor();
    await page.unroute('**/admin/stats**');
  });

  it('signs out (forgetting the sign-in); a read-only till cannot sign in', async () => {
    await signOut();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await signIn('readonly.till', 'readonly.pass');
    await page.getByText('This account cannot use the console (no admin permission)').waitFor();
    await signIn('demo.admin', 'wrong-password');
    await page.getByText('Wrong username or password').waitFor();
  });
});
