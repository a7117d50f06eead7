import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admin, balanceOf, credit, makeCustomer, redeem } from './support/api';
import { DEMO_TILL, READONLY_TILL } from './support/credentials';
import { dbSnapshot } from './support/db-snapshot';
import { latestCode } from './support/otp-helpers';
import { itemOf } from './support/redeem-helpers';
import { startTestApp, TestApp } from './support/test-app';
import { asText, expectXml, http, redeemXml, XmlAnswer, xpathAll, xpathOne } from './support/xml';

// XML on the wire (DESIGN.md §11): the two client families that speak it, replayed as they
// send their requests, every XPath they read, and the XML bad-input table.

const SKIP = { skip_validation: 'true' };
const ISO_DECLARATION = '<?xml version="1.0" encoding="ISO-8859-1"?>';

/**
 * The .NET point-of-sale client: `format=xml` and `Content-Type: text/xml` on every call
 * (GETs too); credentials only after the server's 401 challenge; redeem bodies in ISO-8859-1.
 */
class DotNetPos {
  challenges = 0;

  constructor(
    private readonly t: TestApp,
    private readonly auth = DEMO_TILL,
  ) {}

  private build(method: 'get' | 'post', path: string, query: Record<string, string>) {
    return http(this.t)
      [method](path)
      .query({ format: 'xml', ...query })
      .set('Content-Type', 'text/xml');
  }

  /** One call as the client makes it: unauthenticated, challenged, then with credentials. */
  async call(
    method: 'get' | 'post',
    path: string,
    query: Record<string, string> = {},
    body?: Buffer,
  ): Promise<XmlAnswer> {
    const first = this.build(method, path, query);
    const challenge = await asText(body ? first.send(body) : first);
    expectXml(challenge, 401);
    expect(challenge.headers['www-authenticate']).toMatch(/^Basic realm="[^"]+"$/);
    expect(xpathOne(challenge.text, '//status/code | //errors/code')).toBe('401');
    this.challenges += 1;
    const second = this.build(method, path, query).set('Authorization', this.auth);
    return asText(body ? second.send(body) : second);
  }

  redeem(items: Record<string, unknown>[], query: Record<string, string> = SKIP) {
    const xml = redeemXml(items, ISO_DECLARATION);
    return this.call('post', '/v1.1/points/redeem', query, Buffer.from(xml, 'latin1'));
  }
}

/**
 * The ERP connector: no `format`, `Accept: application/xml`, UTF-8 XML bodies with
 * `Content-Type: application/xml`; it reads answers by XPath only.
 */
class ErpConnector {
  constructor(private readonly t: TestApp) {}

  get(path: string, query: Record<string, string>) {
    return asText(
      http(this.t)
        .get(path)
        .query(query)
        .set('Accept', 'application/xml')
        .set('Authorization', DEMO_TILL),
    );
  }

  post(path: string, xml: string, query: Record<string, string> = {}) {
    return asText(
      http(this.t)
        .post(path)
        .query(query)
        .set('Accept', 'application/xml')
        .set('Content-Type', 'application/xml')
        .set('Authorization', DEMO_TILL)
        .send(Buffer.from(xml, 'utf8')),
    );
  }
}

describe('XML on the wire', () => {
  let t: TestApp;
  let pos: DotNetPos;
  let erp: ErpConnector;

  beforeAll(async () => {
    t = await startTestApp('xml', { RATE_LIMIT_PER_MINUTE: '100000' });
    pos = new DotNetPos(t);
    erp = new ErpConnector(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('the .NET point-of-sale client, replayed', () => {
    it('challenge, then customer/get, isredeemable, validationcode and redeem in XML', async () => {
      const c = await makeCustomer(t, [{ points: 200 }]);

      const customer = await pos.call('get', '/v1.1/customer/get', { mobile: c.mobile });
      expectXml(customer, 200);
      expect(xpathOne(customer.text, '//customers/customer/loyalty_points')).toBe('200');
      expect(xpathOne(customer.text, '//status/success')).toBe('true');

      const issued = await pos.call('get', '/v1.1/points/validationcode', {
        mobile: c.mobile,
        points: '25',
      });
      expectXml(issued, 200);
      expect(xpathOne(issued.text, '//validation_code/code/item_status/code')).toBe('200');
      const code = await latestCode(t, c.id);

      const check = await pos.call('get', '/v1.1/points/isredeemable', {
        mobile: c.mobile,
        points: '25',
        validation_code: code,
      });
      expectXml(check, 200);
      expect(xpathOne(check.text, '//points/redeemable/is_redeemable')).toBe('true');
      expect(xpathOne(check.text, '//points/redeemable/item_status/code')).toBe('800');

      const before = await dbSnapshot(t);
      const redeemed = await pos.redeem(
        [
          {
            points_redeemed: '25',
            customer: { mobile: c.mobile, external_id: '' },
            transaction_number: 'pos-1',
            validation_code: code,
            notes: 'Zo\u00eb paid part by points',
            custom_fields: '',
          },
        ],
        {},
      );
      expectXml(redeemed, 200);
      expect(xpathOne(redeemed.text, '//status/success')).toBe('true');
      expect(xpathOne(redeemed.text, '//status/code')).toBe('200');
      expect(xpathOne(redeemed.text, '//responses/points/item_status/message')).toBe(
        'Points Redeemed',
      );
      expect(xpathOne(redeemed.text, '//responses/points/balance')).toBe('175');
      expect(xpathAll(redeemed.text, '//points/side_effects/effect/num_points')).toEqual(['25']);
      expect((await dbSnapshot(t)).redemption).toBe(Number(before.redemption) + 1);
      expect(await balanceOf(t, c.id)).toBe('175.000');

      // The ISO-8859-1 "ë" arrived as one character, and reads back the same in XML.
      const { rows } = await t.pg.query<{ notes: string }>(
        'SELECT notes FROM redemption WHERE customer_id = $1',
        [c.id],
      );
      expect(rows[0].notes).toBe('Zo\u00eb paid part by points');
      const history = await pos.call('get', '/v1.1/customer/redemptions', { mobile: c.mobile });
      expectXml(history, 200);
      expect(xpathOne(history.text, '//redemptions/redemption/notes')).toBe(
        'Zo\u00eb paid part by points',
      );
      expect(pos.challenges).toBe(5);
    });

    it('the unauthenticated first try of a redeem writes nothing', async () => {
      const c = await makeCustomer(t, [{ points: 50 }]);
      const before = await dbSnapshot(t);
      const res = await asText(
        http(t)
          .post('/v1.1/points/redeem')
          .query({ format: 'xml', ...SKIP })
          .set('Content-Type', 'text/xml')
          .send(
            Buffer.from(
              redeemXml([{ points_redeemed: '5', customer: { mobile: c.mobile } }]),
              'latin1',
            ),
          ),
      );
      expectXml(res, 401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic /);
      expect(await dbSnapshot(t)).toEqual(before);
    });

    it('a batch of several <redeem> items answers repeated <points>, in order', async () => {
      const c = await makeCustomer(t, [{ points: 30 }]);
      const res = await pos.redeem([
        { points_redeemed: '10', customer: { mobile: c.mobile } },
        { points_redeemed: '500', customer: { mobile: c.mobile } },
        { points_redeemed: '5', customer: { mobile: c.mobile } },
      ]);
      expectXml(res, 200);
      expect(xpathOne(res.text, '//status/code')).toBe('201');
      expect(xpathAll(res.text, '//responses/points/item_status/code')).toEqual([
        '800',
        '803',
        '800',
      ]);
      expect(xpathAll(res.text, '//responses/points/balance')).toEqual(['20', '15']);
    });
  });

  describe('the ERP connector, replayed (Accept: application/xml, no format)', () => {
    it('every XPath it reads resolves', async () => {
      const c = await makeCustomer(t, [{ points: 400 }]);
      const got = await erp.get('/v1.1/customer/get', { mobile: c.mobile });
      expectXml(got, 200);
      expect(xpathOne(got.text, '//customers/customer/loyalty_points')).toBe('400');

      const issued = await erp.get('/v1.1/points/validationcode', {
        mobile: c.mobile,
        points: '100',
      });
      expectXml(issued, 200);
      expect(xpathOne(issued.text, '//validation_code/code/item_status/code')).toBe('200');
      const code = await latestCode(t, c.id);

      const check = await erp.get('/v1.1/points/isredeemable', {
        mobile: c.mobile,
        points: '100',
        validation_code: code,
      });
      expectXml(check, 200);
      expect(xpathOne(check.text, '//points/redeemable/points_redeem_value')).toBe('100');
      expect(xpathOne(check.text, '//points/redeemable/points_currency_ratio')).toBe('1');
      expect(xpathOne(check.text, '//points/redeemable/item_status/message')).toBe(
        'Points can be redeemed',
      );

      const res = await erp.post(
        '/v1.1/points/redeem',
        redeemXml([
          {
            points_redeemed: '100',
            customer: { mobile: `+${c.mobile}` },
            validation_code: code,
            transaction_number: '7781',
            custom_fields: { field: [] },
          },
        ]),
      );
      expectXml(res, 200);
      expect(xpathOne(res.text, '//status/success')).toBe('true');
      expect(xpathOne(res.text, '//status/code')).toBe('200');
      expect(xpathOne(res.text, '//responses/points/item_status/message')).toBe('Points Redeemed');
      expect(xpathOne(res.text, '//points/item_status/message')).toBe('Points Redeemed');
      expect(await balanceOf(t, c.id)).toBe('300.000');
    });

    it('failures resolve the same XPaths', async () => {
      const c = await makeCustomer(t, [{ points: 10 }]);
      const check = await erp.get('/v1.1/points/isredeemable', {
        mobile: c.mobile,
        points: '50',
        skip_validation: 'true',
      });
      expectXml(check, 200);
      expect(xpathOne(check.text, '//points/redeemable/item_status/message')).toMatch(/\S/);
      expect(xpathOne(check.text, '//points/redeemable/item_status/code')).toBe('803');
      expect(xpathOne(check.text, '//points/redeemable/points_redeem_value')).toBe('0');

      const res = await erp.post(
        '/v1.1/points/redeem',
        redeemXml([{ points_redeemed: '50', customer: { mobile: c.mobile } }]),
        SKIP,
      );
      expectXml(res, 200);
      expect(xpathOne(res.text, '//status/success')).toBe('false');
      expect(xpathOne(res.text, '//status/code')).toBe('500');
      expect(xpathOne(res.text, '//points/item_status/code')).toBe('803');

      const unknown = await erp.get('/v1.1/points/validationcode', {
        mobile: '919000000999',
        points: '5',
      });
      expectXml(unknown, 200);
      expect(xpathOne(unknown.text, '//validation_code/code/item_status/code')).toBe('816');
    });
  });

  describe('every till endpoint in XML, success and failure', () => {
    it('customer/get: 1000 and 816', async () => {
      const c = await makeCustomer(t, [{ points: 12 }]);
      const ok = await pos.call('get', '/v1.1/customer/get', { mobile: c.mobile });
      expectXml(ok, 200);
      expect(xpathOne(ok.text, '//customers/customer/item_status/code')).toBe('1000');
      expect(
        xpathOne(ok.text, '//customers/customer/points_summaries/points_summary/loyalty_points'),
      ).toBe('12');
      const missing = await pos.call('get', '/v1.1/customer/get', { mobile: '919000000998' });
      expectXml(missing, 200);
      expect(xpathOne(missing.text, '//status/code')).toBe('500');
      expect(xpathOne(missing.text, '//customers/customer/item_status/code')).toBe('816');
    });

    it('customer/redemptions: the list, and 816', async () => {
      const c = await makeCustomer(t, [{ points: 40 }]);
      for (const n of ['3', '4']) {
        expect(
          itemOf(await redeem(t, { points_redeemed: n, customer: { mobile: c.mobile } }))
            .item_status.code,
        ).toBe(800);
      }
      const ok = await pos.call('get', '/v1.1/customer/redemptions', { mobile: c.mobile });
      expectXml(ok, 200);
      expect(xpathAll(ok.text, '//redemptions/redemption/points_redeemed')).toEqual(['4', '3']);
      expect(xpathOne(ok.text, '//redemptions/count')).toBe('2');
      const missing = await pos.call('get', '/v1.1/customer/redemptions', {
        mobile: '919000000997',
      });
      expectXml(missing, 200);
      expect(xpathOne(missing.text, '//item_status/code')).toBe('816');
    });

    it('reverse: an XML body under <root>, answered in XML; 902 as <errors>', async () => {
      const c = await makeCustomer(t, [{ points: 60 }]);
      const r = itemOf(await redeem(t, { points_redeemed: 20, customer: { mobile: c.mobile } }));
      const body = (xml: string) => Buffer.from(`${ISO_DECLARATION}<root>${xml}</root>`, 'latin1');
      const half = await pos.call(
        'post',
        '/v2/points/reverse',
        {},
        body(
          `<redemptionId>${r.redemption_id}</redemptionId><pointsToBeReversed>7</pointsToBeReversed>` +
            `<identifier><type>mobile</type><value>${c.mobile}</value></identifier>`,
        ),
      );
      expectXml(half, 200);
      expect(Number(xpathOne(half.text, '/response/orgId'))).toBeGreaterThan(0);
      // Whole points: the demo program counts in steps of 1 (a fraction is 811 now).
      expect(xpathOne(half.text, '/response/pointsReversed')).toBe('7');
      expect(xpathOne(half.text, '/response/balance')).toBe('47');
      expect(await balanceOf(t, c.id)).toBe('47.000');

      const missing = await pos.call(
        'post',
        '/v2/points/reverse',
        {},
        body('<redemptionId>zzzzzz</redemptionId>'),
      );
      expectXml(missing, 404);
      expect(xpathOne(missing.text, '/response/errors/code')).toBe('902');
      expect(xpathOne(missing.text, '/response/errors/message')).toMatch(/\S/);
    });

    it('exact decimals are written unchanged', async () => {
      const program = await admin(t, 'post', '/admin/programs', {
        name: 'XML exact',
        redeem_multiple_of: null,
        decimal_places: 3,
        points_currency_ratio: '0.125',
      });
      expect(program.status).toBe(201);
      const programId = String((program.body as { id: number }).id);
      const c = await makeCustomer(t);
      await credit(t, { customer_id: c.id, program_id: Number(programId), points: '1000.001' });
      const res = await pos.redeem([{ points_redeemed: '12.35', customer: { mobile: c.mobile } }], {
        ...SKIP,
        program_id: programId,
      });
      expectXml(res, 200);
      expect(xpathOne(res.text, '//responses/points/points_redeemed')).toBe('12.35');
      expect(xpathOne(res.text, '//responses/points/balance')).toBe('987.651');
      expect(xpathOne(res.text, '//responses/points/redeemed_value')).toBe('1.54375');
    });

    it('an Idempotency-Key replay answers the same XML', async () => {
      const c = await makeCustomer(t, [{ points: 30 }]);
      const send = () =>
        asText(
          http(t)
            .post('/v1.1/points/redeem')
            .query({ format: 'xml', ...SKIP })
            .set('Authorization', DEMO_TILL)
            .set('Content-Type', 'application/xml')
            .set('Idempotency-Key', `xml-${c.id}`)
            .send(redeemXml([{ points_redeemed: '10', customer: { mobile: c.mobile } }])),
        );
      const first = await send();
      const again = await send();
      expectXml(first, 200);
      expectXml(again, 200);
      expect(again.text).toBe(first.text);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await balanceOf(t, c.id)).toBe('20.000');
    });
  });

  describe('one set of rules: an XML body and its JSON twin get the same item codes', () => {
    const ITEMS: [string, Record<string, unknown>][] = [
      ['good', { points_redeemed: '2' }],
      ['zero', { points_redeemed: '0' }],
      ['negative', { points_redeemed: '-1' }],
      ['not a number', { points_redeemed: 'ten' }],
      ['missing points', {}],
      ['too many decimals', { points_redeemed: '1.0001' }],
      ['not a multiple', { points_redeemed: '1.5' }],
      ['more than the balance', { points_redeemed: '9999' }],
      ['bad time', { points_redeemed: '1', redemption_time: '2024-02-30 10:00:00' }],
      ['time before 2000', { points_redeemed: '1', redemption_time: '1999-12-31 23:59:59' }],
      [
        'unknown custom field',
        { points_redeemed: '1', custom_fields: { field: [{ name: 'nope', value: 'x' }] } },
      ],
      ['wrong code', { points_redeemed: '1', validation_code: 'ZZZZZZ' }],
    ];

    it.each(ITEMS)('%s', async (_label, fields) => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      const item = { customer: { mobile: c.mobile }, ...fields };
      const json = await redeem(t, item, {});
      const xml = await pos.redeem([item], {});
      expectXml(xml, json.status);
      expect(xpathOne(xml.text, '//responses/points/item_status/code')).toBe(
        String(itemOf(json).item_status.code),
      );
      expect(xpathOne(xml.text, '//status/code')).toBe(String(json.body.response.status.code));
    });

    it('an unknown customer identifier in XML is the same 816', async () => {
      const res = await pos.redeem([
        { points_redeemed: '1', customer: { mobile: '919000000996' } },
      ]);
      expectXml(res, 200);
      expect(xpathOne(res.text, '//points/item_status/code')).toBe('816');
    });
  });

  describe('format negotiation', () => {
    const get = (query: Record<string, string>, accept?: string) => {
      const req = http(t)
        .get('/v1.1/customer/get')
        .query({ mobile: '919900000001', ...query })
        .set('Authorization', DEMO_TILL);
      return asText(accept ? req.set('Accept', accept) : req);
    };
    const typeOf = (res: XmlAnswer) => res.headers['content-type'].split(';')[0];

    it.each([
      ['no format, no Accept', {}, undefined, 'application/json'],
      ['format=xml', { format: 'xml' }, undefined, 'application/xml'],
      ['format=XML', { format: 'XML' }, undefined, 'application/xml'],
      [
        'format=json wins over Accept xml',
        { format: 'json' },
        'application/xml',
        'application/json',
      ],
      [
        'format=xml wins over Accept json',
        { format: 'xml' },
        'application/json',
        'application/xml',
      ],
      ['Accept text/xml', {}, 'text/xml', 'application/xml'],
      ['Accept application/xml', {}, 'application/xml', 'application/xml'],
      ['Accept json before xml', {}, 'application/json, application/xml', 'application/json'],
      [
        'Accept xml at a lower q',
        {},
        'application/xml;q=0.5, application/json',
        'application/json',
      ],
      ['Accept */*', {}, '*/*', 'application/json'],
    ])('%s', async (_label, query, accept, expected) => {
      const res = await get(query, accept);
      expect(res.status).toBe(200);
      expect(typeOf(res)).toBe(expected);
    });

    it('the admin API stays JSON whatever is asked', async () => {
      const res = await asText(
        http(t)
          .get('/admin/config')
          .query({ format: 'xml' })
          .set('Accept', 'application/xml')
          .set('Authorization', 'Basic ' + Buffer.from('demo.admin:admin.pass').toString('base64')),
      );
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    });
  });

  describe('errors in XML, in the endpoint family envelope', () => {
    const xmlGet = (path: string, auth?: string) => {
      const req = http(t).get(path).query({ format: 'xml', mobile: '919900000001' });
      return asText(auth ? req.set('Authorization', auth) : req);
    };

    it('401 keeps the Basic challenge', async () => {
      const res = await xmlGet(
        '/v1.1/customer/get',
        'Basic ' + Buffer.from('x:y').toString('base64'),
      );
      expectXml(res, 401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
      expect(xpathOne(res.text, '/response/status/success')).toBe('false');
      expect(xpathOne(res.text, '/response/status/code')).toBe('401');
    });

    it('v2 401 is <errors>', async () => {
      const res = await asText(
        http(t)
          .post('/v2/points/reverse')
          .query({ format: 'xml' })
          .set('Content-Type', 'text/xml')
          .send('<root/>'),
      );
      expectXml(res, 401);
      expect(xpathOne(res.text, '/response/errors/code')).toBe('401');
    });

    it('403 for a till whose access group denies', async () => {
      const res = await asText(
        http(t)
          .post('/v1.1/points/redeem')
          .query({ format: 'xml', ...SKIP })
          .set('Authorization', READONLY_TILL)
          .set('Content-Type', 'text/xml')
          .send(redeemXml([{ points_redeemed: '1', customer: { mobile: '919900000001' } }])),
      );
      expectXml(res, 403);
      expect(xpathOne(res.text, '//status/code')).toBe('403');
    });

    it('404 for an unknown till path', async () => {
      const res = await xmlGet('/v1.1/points/nothing', DEMO_TILL);
      expectXml(res, 404);
      expect(xpathOne(res.text, '//status/code')).toBe('404');
    });

    it('413 for a body past the limit', async () => {
      const res = await asText(
        http(t)
          .post('/v1.1/points/redeem')
          .query({ format: 'xml' })
          .set('Authorization', DEMO_TILL)
          .set('Content-Type', 'text/xml')
          .send(redeemXml([{ notes: 'x'.repeat(200_000) }])),
      );
      expectXml(res, 413);
      expect(xpathOne(res.text, '//status/code')).toBe('413');
    });
  });

  describe('the XML bad-input table: a clear 4xx in XML, never a 500, nothing written', () => {
    let dir: string;
    let secretFile: string;
    let listener: Server;
    let listenerUrl: string;
    let hits = 0;
    const SECRET = 'secret-marker-7d1e';

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'xxe-'));
      secretFile = join(dir, 'secret.txt');
      writeFileSync(secretFile, SECRET);
      listener = createServer((_req, res) => {
        hits += 1;
        res.end(SECRET);
      });
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/dtd`;
    });
    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      await new Promise((resolve) => listener.close(resolve));
    });

    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
      Array.from(
        { length: 9 },
        (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
      ).join('') +
      ']><root><redeem><notes>&lol9;</notes></redeem></root>';
    const item = `<redeem><points_redeemed>1</points_redeemed><customer><mobile>919900000001</mobile></customer></redeem>`;

    type Row = [
      label: string,
      body: () => Buffer | string,
      contentType: string,
      status: number,
      message: RegExp,
      path?: string,
    ];
    const RAW_ROWS: Row[] = [
      ['malformed (unclosed)', () => '<root><redeem>', 'text/xml', 400, /Malformed XML/],
      ['malformed (mismatched)', () => '<root><redeem></root>', 'text/xml', 400, /Malformed XML/],
      ['wrong root', () => `<request>${item}</request>`, 'text/xml', 400, /<root><redeem>/],
      ['no redeem under root', () => '<root><x>1</x></root>', 'text/xml', 400, /<root><redeem>/],
      [
        'two root elements',
        () => `<root>${item}</root><root>${item}</root>`,
        'text/xml',
        400,
        /root (element|nodes)/i,
      ],
      ['DTD', () => `<!DOCTYPE root><root>${item}</root>`, 'text/xml', 400, /DTD/],
      ['billion laughs', () => laughs, 'application/xml', 400, /DTD/],
      [
        'XXE from a file',
        () =>
          `<!DOCTYPE root [<!ENTITY x SYSTEM "file://${secretFile}">]><root><redeem><notes>&x;</notes></redeem></root>`,
        'text/xml',
        400,
        /DTD/,
      ],
      [
        'XXE from the network',
        () => `<!DOCTYPE root SYSTEM "${listenerUrl}"><root>${item}</root>`,
        'text/xml',
        400,
        /DTD/,
      ],
      [
        'parameter entity',
        () => `<!DOCTYPE r [<!ENTITY % p SYSTEM "${listenerUrl}"> %p;]><root/>`,
        'text/xml',
        400,
        /DTD/,
      ],
      [
        'undefined entity',
        () => '<root><redeem><notes>&x;</notes></redeem></root>',
        'text/xml',
        400,
        /undefined entity/,
      ],
      [
        'bare ampersand',
        () => '<root><redeem><notes>a & b</notes></redeem></root>',
        'text/xml',
        400,
        /Malformed XML/,
      ],
      [
        'character reference to NUL',
        () => '<root><redeem><notes>&#0;</notes></redeem></root>',
        'text/xml',
        400,
        /not a character/,
      ],
      [
        'huge',
        () => `<root><redeem><notes>${'x'.repeat(150_000)}</notes></redeem></root>`,
        'text/xml',
        413,
        /larger than/,
      ],
      ['deep', () => '<a>'.repeat(40) + '1' + '</a>'.repeat(40), 'text/xml', 400, /nested deeper/],
      [
        'Latin-1 bytes sent as UTF-8',
        () => Buffer.from(`<root><redeem><notes>Zo\u00eb</notes></redeem></root>`, 'latin1'),
        'text/xml; charset=utf-8',
        400,
        /not valid UTF-8/,
      ],
      [
        'UTF-16',
        () => Buffer.from(`\ufeff<root>${item}</root>`, 'utf16le'),
        'text/xml',
        415,
        /UTF-16/,
      ],
      [
        'unknown charset',
        () => `<root>${item}</root>`,
        'text/xml; charset=ebcdic-cp-us',
        415,
        /encoding/,
      ],
      [
        'declared encoding unknown',
        () => `<?xml version="1.0" encoding="Shift_JIS"?><root>${item}</root>`,
        'text/xml',
        415,
        /encoding/,
      ],
      [
        'JSON sent as XML',
        () => '{"root":{"redeem":{"points_redeemed":1}}}',
        'application/xml',
        400,
        /Malformed XML/,
      ],
      ['XML inside JSON', () => '{"root":"<redeem/>"}', 'application/json', 400, /root/],
      [
        'JSON inside XML',
        () => `<root>{"redeem":[{"points_redeemed":1}]}</root>`,
        'application/json',
        400,
        /<root><redeem>/,
      ],
      ['text/plain XML on POST', () => `<root>${item}</root>`, 'text/plain', 415, /content type/],
      [
        'reverse: wrong root',
        () => '<reverse><redemptionId>a</redemptionId></reverse>',
        'text/xml',
        400,
        /<root>/,
        '/v2/points/reverse',
      ],
      [
        'reverse: DTD',
        () => '<!DOCTYPE root><root/>',
        'text/xml',
        400,
        /DTD/,
        '/v2/points/reverse',
      ],
      [
        'reverse: malformed',
        () => '<root><redemptionId>',
        'text/xml',
        400,
        /Malformed XML/,
        '/v2/points/reverse',
      ],
    ];

    // Every row gets its path, so that jest.each passes six arguments (never a `done`).
    const ROWS = RAW_ROWS.map(
      ([label, body, type, status, message, path]) =>
        [label, body, type, status, message, path ?? '/v1.1/points/redeem'] as const,
    );

    it.each(ROWS)('%s', async (_label, body, contentType, httpStatus, message, path) => {
      const before = await dbSnapshot(t);
      const res = await asText(
        http(t)
          .post(path)
          .query({ format: 'xml', ...SKIP })
          .set('Authorization', DEMO_TILL)
          .set('Content-Type', contentType)
          .send(body()),
      );
      expectXml(res, httpStatus);
      const codeXPath = path.startsWith('/v2/') ? '/response/errors/code' : '/response/status/code';
      const messageXPath = path.startsWith('/v2/')
        ? '/response/errors/message'
        : '/response/status/message';
      expect(xpathOne(res.text, codeXPath)).toBe(String(httpStatus));
      expect(xpathOne(res.text, messageXPath)).toMatch(message);
      expect(res.text).not.toContain(SECRET);
      expect(await dbSnapshot(t)).toEqual(before);
    });

    it('nothing was fetched from the network', () => {
      expect(hits).toBe(0);
    });
  });

  describe('encodings', () => {
    const send = (bytes: Buffer, contentType: string) =>
      asText(
        http(t)
          .post('/v1.1/points/redeem')
          .query({ format: 'xml', ...SKIP })
          .set('Authorization', DEMO_TILL)
          .set('Content-Type', contentType)
          .send(bytes),
      );
    const notesOf = async (customerId: number) =>
      (
        await t.pg.query<{ notes: string }>('SELECT notes FROM redemption WHERE customer_id = $1', [
          customerId,
        ])
      ).rows[0]?.notes;

    it.each([
      ['UTF-8, no declaration', 'utf8', '', 'text/xml'],
      ['UTF-8 with a byte-order mark', 'utf8', '\ufeff', 'application/xml'],
      ['ISO-8859-1 by the declaration', 'latin1', ISO_DECLARATION, 'text/xml'],
      ['ISO-8859-1 by the charset', 'latin1', '', 'text/xml; charset=ISO-8859-1'],
      ['windows-1252 by the charset', 'latin1', '', 'text/xml; charset=windows-1252'],
      [
        'the charset wins over the declaration',
        'latin1',
        '<?xml version="1.0" encoding="UTF-8"?>',
        'text/xml; charset=iso-8859-1',
      ],
    ] as const)('%s: "Zoë & co" arrives intact', async (_label, encoding, prefix, contentType) => {
      const c = await makeCustomer(t, [{ points: 10 }]);
      const xml = redeemXml(
        [{ points_redeemed: '1', customer: { mobile: c.mobile }, notes: 'Zo\u00eb &amp; co' }],
        prefix,
      );
      const res = await send(Buffer.from(xml, encoding), contentType);
      expectXml(res, 200);
      expect(xpathOne(res.text, '//points/item_status/code')).toBe('800');
      expect(await notesOf(c.id)).toBe('Zo\u00eb & co');
    });

    it('windows-1252 bytes 0x80–0x9F are its characters (€), and a character reference works', async () => {
      const c = await makeCustomer(t, [{ points: 10 }]);
      const xml = `<root><redeem><points_redeemed>1</points_redeemed><customer><mobile>${c.mobile}</mobile></customer><notes>5 \x80 &#8364; &#x20AC;</notes></redeem></root>`;
      const res = await send(Buffer.from(xml, 'latin1'), 'text/xml; charset=windows-1252');
      expectXml(res, 200);
      expect(await notesOf(c.id)).toBe('5 € € €');
    });

    it('a GET redeem with an XML body is read by its first character', async () => {
      const c = await makeCustomer(t, [{ points: 10 }]);
      const res = await asText(
        http(t)
          .get('/v1.1/points/redeem')
          .query({ format: 'xml', ...SKIP })
          .set('Authorization', DEMO_TILL)
          .set('Content-Type', 'application/json')
          .send(redeemXml([{ points_redeemed: '3', customer: { mobile: c.mobile } }])),
      );
      expectXml(res, 200);
      expect(xpathOne(res.text, '//points/item_status/code')).toBe('800');
      expect(await balanceOf(t, c.id)).toBe('7.000');
    });
  });
});

describe('XML errors that need their own limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('xml_limits', { RATE_LIMIT_PER_MINUTE: '4', LOCK_TIMEOUT_MS: '300' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('503 (wallet locked) and then 429 (rate limited) come in XML', async () => {
    const c = await makeCustomer(t, [{ points: 50 }]);
    const r = itemOf(await redeem(t, { points_redeemed: 10, customer: { mobile: c.mobile } }));
    expect(r.item_status.code).toBe(800);
    const blocker = await t.pg.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM wallet WHERE customer_id = $1 FOR UPDATE', [c.id]);
      const locked = await asText(
        http(t)
          .post('/v2/points/reverse')
          .query({ format: 'xml' })
          .set('Authorization', DEMO_TILL)
          .set('Content-Type', 'text/xml')
          .send(`<root><redemptionId>${r.redemption_id}</redemptionId></root>`),
      );
      expectXml(locked, 503);
      expect(xpathOne(locked.text, '/response/errors/code')).toBe('521');
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
    let limited: XmlAnswer | undefined;
    for (let i = 0; i < 6 && !limited; i++) {
      const res = await asText(
        http(t)
          .get('/v1.1/customer/get')
          .query({ format: 'xml', mobile: c.mobile })
          .set('Authorization', DEMO_TILL),
      );
      if (res.status === 429) limited = res;
    }
    expect(limited).toBeDefined();
    expectXml(limited!, 429);
    expect(limited!.headers['retry-after']).toMatch(/^\d+$/);
    expect(xpathOne(limited!.text, '//status/code')).toBe('429');
    expect(await balanceOf(t, c.id)).toBe('40.000');
  });
});
