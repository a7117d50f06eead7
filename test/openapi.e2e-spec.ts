import request from 'supertest';
import { CUSTOMER_QUERY_FIELDS, REDEMPTIONS_QUERY_FIELDS } from '../src/customers/customers.wire';
import {
  ISREDEEMABLE_QUERY_FIELDS,
  REDEEM_ITEM_FIELDS,
  REDEEM_QUERY_FIELDS,
} from '../src/redemptions/redeem-request';
import { REVERSE_FIELDS } from '../src/reversals/reversal.wire';
import { VALIDATION_CODE_QUERY_FIELDS } from '../src/validation-codes/validation-code.wire';
import { ENDPOINTS } from '../console/src/api/endpoints';
import { startTestApp, TestApp } from './support/test-app';

interface Operation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: { 'application/json': { schema: Schema } } };
}
interface Schema {
  properties?: Record<string, Schema>;
  oneOf?: Schema[];
  items?: Schema;
}

/** /docs is made from the fields the parsers read: the two cannot drift apart. */
describe('OpenAPI document at /docs/openapi.json', () => {
  let t: TestApp;
  let paths: Record<string, Record<string, Operation>>;

  beforeAll(async () => {
    t = await startTestApp('openapi');
    const res = await request(t.url).get('/docs/openapi.json');
    expect(res.status).toBe(200);
    paths = (res.body as { paths: typeof paths }).paths;
  });
  afterAll(async () => {
    await t?.close();
  });

  const queryOf = (path: string, method: string) =>
    (paths[path][method].parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);

  it.each([
    ['/v1.1/points/redeem', 'post', REDEEM_QUERY_FIELDS],
    ['/v1.1/points/redeem', 'get', REDEEM_QUERY_FIELDS],
    ['/v1.1/points/isredeemable', 'get', { ...ISREDEEMABLE_QUERY_FIELDS, ...REDEEM_QUERY_FIELDS }],
    ['/v1.1/points/validationcode', 'get', VALIDATION_CODE_QUERY_FIELDS],
    ['/v1.1/customer/get', 'get', CUSTOMER_QUERY_FIELDS],
    ['/v1.1/customer/redemptions', 'get', REDEMPTIONS_QUERY_FIELDS],
  ])('%s %s documents exactly the query parameters its parser reads', (path, method, fields) => {
    // `format` is read by the reply's format negotiation (capillary/wire-format.ts).
    expect(queryOf(path, method).sort()).toEqual([...Object.keys(fields), 'format'].sort());
  });

  it.each([
    ['/v1.1/points/redeem', 'post'],
    ['/v2/points/reverse', 'post'],
  ])('%s %s takes JSON or XML bodies', (path, method) => {
    const content = (paths[path][method].requestBody as { content: Record<string, unknown> })
      .content;
    expect(Object.keys(content).sort()).toEqual([
      'application/json',
      'application/xml',
      'text/xml',
    ]);
  });

  it('the redeem item documents exactly the fields the parser reads', () => {
    const body = paths['/v1.1/points/redeem'].post.requestBody!.content['application/json'].schema;
    const redeem = body.properties!.root.properties!.redeem;
    for (const shape of [redeem.oneOf![0], redeem.oneOf![1].items!]) {
      expect(Object.keys(shape.properties!).sort()).toEqual(Object.keys(REDEEM_ITEM_FIELDS).sort());
    }
  });

  it('the reverse body documents exactly the fields the parser reads', () => {
    const body = paths['/v2/points/reverse'].post.requestBody!.content['application/json'].schema;
    expect(Object.keys(body.properties!).sort()).toEqual(Object.keys(REVERSE_FIELDS).sort());
  });

  it.each(ENDPOINTS.map((e) => [e.method.toUpperCase(), e.path, e.method] as const))(
    'the console calls %s %s, and the OpenAPI document has it',
    (_method, path, method) => {
      expect(paths[path]?.[method]).toBeDefined();
    },
  );
});
