import { admin, makeCustomer } from './support/api';
import { basic, DEMO_ADMIN, DEMO_MOBILE, DEMO_TILL, md5 } from './support/credentials';
import { changed, dbSnapshot } from './support/db-snapshot';
import { dig } from './support/expect';
import { qs, rawRequest, RawRequest, RawResponse } from './support/raw-http';
import { createProgram } from './support/redeem-helpers';
import { redeemFor } from './support/reversal-helpers';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The big table of malformed requests. Every row states the HTTP status and the code it must
 * get (status.code, item_status.code or errors[0].code), and every row is checked for the
 * same things: the envelope of its endpoint family, never a 5xx, no internals in the body,
 * and nothing written anywhere (row counts, wallet balances, updated rows).
 */

// Starting apps and the timed login loop outlast Jest's 5 s default under a loaded machine.
jest.setTimeout(60_000);

/** Stack frames, SQL and source paths never belong in a response body. */
const LEAK = /at \w+ \(|node_modules|SELECT |INSERT |\/src\//;
const REQUEST_ID = /^[0-9a-f-]{36}$/;

/** What the rows are built from: fixtures created once in beforeAll. */
interface Ctx {
  /** A demo customer with 1000 points (default program) and 500 (fractional program). */
  mobile: string;
  customerId: number;
  /** Another demo customer (for identifier mismatches). */
  otherMobile: string;
  /** A program with 2 decimal places, no minimum and no step. */
  frac: number;
  /** A redemption of 10 points in the default program, external reference `ern`. */
  redemption: string;
  ern: string;
  /** A redemption of 10.5 points in the fractional program. */
  fracRedemption: string;
  /** An existing group's external id. */
  groupExternalId: string;
}

type Expect =
  /** A request-level error in the v1.1 envelope (also admin); `field` must be in `errors`. */
  | { kind: 'request'; http: number; code: number; field?: string }
  /** A v1.1 item failure: HTTP 200, status 500 "all failed", the item's code. */
  | { kind: 'item'; code: number }
  /** A v2 error: `{"errors":[{code,message}]}`. */
  | { kind: 'v2'; http: number; code: number };

interface Row {
  label: string;
  req: (c: Ctx) => RawRequest;
  expect: Expect;
}

const request = (http: number, code = http, field?: string): Expect => ({
  kind: 'request',
  http,
  code,
  field,
});
const item = (code: number): Expect => ({ kind: 'item', code });
const v2 = (http: number, code: number): Expect => ({ kind: 'v2', http, code });
const invalid = (field: string): Expect => request(400, 400, field);

const JSON_TYPE: Record<string, string> = { 'Content-Type': 'application/json' };
const LONG = 'x'.repeat(10_000);
const SQL_OR = "' OR 1=1 --";
const SQL_DROP = '1; DROP TABLE redemption';
const JSON_IN_STRING = '{"a":1}';
/** JSON text of a value: `j('a\u0000')` is `"a\u0000"` with the escape. */
const j = (v: unknown): string => JSON.stringify(v);

function send(
  method: RawRequest['method'],
  path: string,
  body?: string,
  auth = DEMO_TILL,
  headers: Record<string, string> = JSON_TYPE,
): RawRequest {
  return { method, path, body, headers: { Authorization: auth, ...headers } };
}
const get = (path: string, auth = DEMO_TILL): RawRequest => send('GET', path, undefined, auth, {});

// ---------------------------------------------------------------- v1.1 redeem

const REDEEM = '/v1.1/points/redeem';
const SKIP = 'skip_validation=true';
const mobileJson = (c: Ctx) => j({ mobile: c.mobile });
/** One redeem item as raw JSON text, so literals such as 1e309 or -0 reach the server as written. */
const redeemText = (points: string, customer: string, extra = '') =>
  `{"root":{"redeem":{"points_redeemed":${points},"customer":${customer}${extra}}}}`;
const redeemReq = (c: Ctx, text: string, query = SKIP, headers = JSON_TYPE) =>
  send('POST', `${REDEEM}?${query}`, text, DEMO_TILL, headers);
/** A redeem that would succeed (1 point of the dedicated customer). */
const goodRedeem = (c: Ctx) => redeemText('1', mobileJson(c));

const redeemRequestRows: Row[] = [
  ...(
    [
      ['truncated JSON', '{"root":{"redeem":{"points_redeemed":1'],
      ['an unquoted NaN', redeemText('NaN', '{"mobile":"1"}')],
      ['an unquoted Infinity', redeemText('Infinity', '{"mobile":"1"}')],
      ['an unquoted -Infinity', redeemText('-Infinity', '{"mobile":"1"}')],
      ['a leading + on a number', redeemText('+1', '{"mobile":"1"}')],
      ['a hexadecimal number literal', redeemText('0x10', '{"mobile":"1"}')],
      ['a raw NUL character inside a string', redeemText('1', '{"mobile":"9199\u00000001"}')],
      ['trailing garbage after the document', '{"root":{"redeem":{}}} x'],
      ['nesting 40 000 levels deep', '['.repeat(40_000)],
      [
        'duplicate keys with different values',
        '{"root":{"redeem":{"points_redeemed":1,"points_redeemed":2}}}',
      ],
      [
        'duplicate root keys',
        '{"root":{"redeem":{"points_redeemed":1}},"root":{"redeem":{"points_redeemed":2}}}',
      ],
      [
        'duplicate keys inside customer',
        '{"root":{"redeem":{"points_redeemed":1,"customer":{"mobile":"919900000001","mobile":"1"}}}}',
      ],
      ['whitespace only', '  \n\t '],
      ['the whole request as a JSON string (JSON injection)', j(redeemText('1', '{"mobile":"1"}'))],
      ['root is an array', '{"root":[{"redeem":{"points_redeemed":1}}]}'],
      ['root.redeem is true', '{"root":{"redeem":true}}'],
      ['root.redeem is an array of nulls', '{"root":{"redeem":[null]}}'],
      ['root.redeem is 1e309', '{"root":{"redeem":1e309}}'],
      ['root.redeem is a string holding JSON', `{"root":{"redeem":${j(JSON_IN_STRING)}}}`],
      ['root.redeem holds an item and a string', '{"root":{"redeem":[{"points_redeemed":1},"x"]}}'],
      ['root.redeem is an object inside an array inside an array', '{"root":{"redeem":[[{}]]}}'],
    ] as const
  ).map(([label, text]): Row => ({
    label: `redeem: ${label}`,
    req: (c) => redeemReq(c, text),
    expect: request(400),
  })),
  {
    label: 'redeem: empty body',
    req: () => send('POST', `${REDEEM}?${SKIP}`),
    expect: request(400),
  },
  {
    label: 'redeem: batch of 21 items (MAX_BATCH is 20) is request-level 1060',
    req: (c) =>
      redeemReq(
        c,
        j({
          root: {
            redeem: Array.from({ length: 21 }, () => ({
              points_redeemed: 1,
              customer: { mobile: c.mobile },
            })),
          },
        }),
      ),
    expect: request(400, 1060),
  },
  {
    label: 'redeem: batch of 500 malformed items is still 1060',
    req: (c) =>
      redeemReq(
        c,
        j({ root: { redeem: Array.from({ length: 500 }, () => ({ points_redeemed: 'NaN' })) } }),
      ),
    expect: request(400, 1060),
  },
  ...(
    [
      ['text/plain', 'text/plain'],
      ['multipart/form-data', 'multipart/form-data; boundary=x'],
      ['application/jsonp', 'application/jsonp'],
    ] as const
  ).map(([label, type]): Row => ({
    label: `redeem: Content-Type ${label} is 415`,
    req: (c) => redeemReq(c, goodRedeem(c), SKIP, { 'Content-Type': type }),
    expect: request(415),
  })),
  {
    // Declared XML, the body is read as XML (DESIGN.md §11): JSON text is malformed XML.
    label: 'redeem: a JSON body declared application/xml is 400',
    req: (c) => redeemReq(c, goodRedeem(c), SKIP, { 'Content-Type': 'application/xml' }),
    expect: request(400),
  },
  {
    label: 'redeem: a body without Content-Type is 415',
    req: (c) => redeemReq(c, goodRedeem(c), SKIP, {}),
    expect: request(415),
  },
  {
    label: 'redeem: a 150 kB body is 413',
    req: (c) =>
      redeemReq(c, redeemText('1', mobileJson(c), `,"notes":${j('n'.repeat(150 * 1024))}`)),
    expect: request(413),
  },
  {
    label: 'redeem: an Idempotency-Key of 300 characters',
    req: (c) =>
      redeemReq(c, goodRedeem(c), SKIP, { ...JSON_TYPE, 'Idempotency-Key': 'k'.repeat(300) }),
    expect: request(400),
  },
  {
    label: 'redeem: an Idempotency-Key with a space',
    req: (c) => redeemReq(c, goodRedeem(c), SKIP, { ...JSON_TYPE, 'Idempotency-Key': 'a b' }),
    expect: request(400),
  },
];

/** points_redeemed literals that fail the item (default program: 3 decimals, whole points). */
const pointsRows: Row[] = (
  [
    ['1e309', 801],
    ['100000000000000000000 (10^20)', 801, '100000000000000000000'],
    ['123456789012345678901234567890', 801],
    ['1e20', 801],
    ['"1e309" as a string', 801, '"1e309"'],
    ['"NaN"', 801],
    ['"Infinity"', 801],
    ['"-Infinity"', 801],
    ['-0', 801],
    ['"-0"', 801],
    ['0', 801],
    ['"0.000"', 801],
    ['-1', 801],
    ['1.0001 (four decimals)', 878, '1.0001'],
    ['"1.0001"', 878],
    ['1e-4', 878],
    ['"abc"', 801],
    ['"" (empty string)', 801, '""'],
    ['null', 801],
    ['true', 801],
    ['[1] (an array where a number goes)', 801, '[1]'],
    ['{"value":1} (an object where a number goes)', 801, '{"value":1}'],
    ['"1,5"', 801],
    ['"0x10"', 801],
    ['"١" (an Arabic-Indic digit)', 801, j('\u0661')],
    ['a string holding JSON', 801, j(JSON_IN_STRING)],
    ['an SQL injection string', 801, j(SQL_OR)],
    ['"1; DROP TABLE redemption"', 801, j(SQL_DROP)],
    ['a 10 000-digit numeric string', 801, j('1'.repeat(10_000))],
    ['"\\u0000"', 801, j('\u0000')],
    ['an emoji', 801, j('😀')],
  ] as [string, number, string?][]
).map(([label, code, literal]) => ({
  label: `redeem points_redeemed ${label}`,
  req: (c) => redeemReq(c, redeemText(literal ?? label, mobileJson(c))),
  expect: item(code),
}));

const fractionalPointsRows: Row[] = [
  ['1.234', 878],
  ['"0.001"', 878],
  ['"1.00001"', 878],
].map(([literal, code]) => ({
  label: `redeem points_redeemed ${String(literal)} in the 2-decimal program`,
  req: (c) =>
    redeemReq(c, redeemText(String(literal), mobileJson(c)), `${SKIP}&program_id=${c.frac}`),
  expect: item(Number(code)),
}));

const customerRows: Row[] = [
  {
    label: 'redeem an empty item object',
    req: (c) => redeemReq(c, '{"root":{"redeem":{}}}'),
    expect: item(801),
  },
  {
    label: 'redeem without customer',
    req: (c) => redeemReq(c, '{"root":{"redeem":{"points_redeemed":1}}}'),
    expect: item(802),
  },
  ...(
    [
      ['customer is an array of objects', (c: Ctx) => j([{ mobile: c.mobile }]), 802],
      ['customer is []', () => '[]', 802],
      ['customer is the mobile as a string', (c: Ctx) => j(c.mobile), 802],
      ['customer is a number', () => '5', 802],
      ['customer is null', () => 'null', 802],
      ['customer is {}', () => '{}', 802],
      ['customer.mobile is ""', () => '{"mobile":""}', 802],
      ['customer.mobile is an array', (c: Ctx) => j({ mobile: [c.mobile] }), 802],
      ['customer.mobile is an operator object', () => '{"mobile":{"$ne":null}}', 802],
      ['customer.mobile is true', () => '{"mobile":true}', 802],
      ['customer.mobile has 10 000 characters', () => j({ mobile: LONG }), 802],
      ['customer.mobile is \\u0000', () => j({ mobile: '\u0000' }), 802],
      ['customer.mobile holds a NUL', (c: Ctx) => j({ mobile: `${c.mobile}\u0000` }), 802],
      ['customer.mobile holds a BEL', () => j({ mobile: '91990\u00070001' }), 802],
      ['customer.id is "abc"', () => '{"id":"abc"}', 802],
      ['customer.id is -1', () => '{"id":-1}', 802],
      ['customer.id is 0', () => '{"id":0}', 802],
      ['customer.id is -0', () => '{"id":-0}', 802],
      ['customer.id is 1.5', () => '{"id":1.5}', 802],
      ['customer.id is 9007199254740992', () => '{"id":9007199254740992}', 802],
      ['customer.id is 1e309', () => '{"id":1e309}', 802],
      ['customer.id is an SQL injection', () => j({ id: '1 OR 1=1' }), 802],
      ['customer.mobile is an SQL injection', () => j({ mobile: SQL_OR }), 816],
      ['customer.email is an SQL injection', () => j({ email: "x' OR '1'='1" }), 816],
      [
        'customer.external_id is "1; DROP TABLE redemption"',
        () => j({ external_id: SQL_DROP }),
        816,
      ],
      ['customer.mobile is a string holding JSON', () => j({ mobile: JSON_IN_STRING }), 816],
      ['customer.external_id is an emoji', () => j({ external_id: '😀' }), 816],
      // (Invisible marks around a mobile's digits are ignored: mobiles are compared by their
      // digits, see test/compat.e2e-spec.ts.)
      ['customer.card_number is a LIKE wildcard %', () => j({ card_number: '%' }), 816],
      ['customer.external_id is a LIKE wildcard _', () => j({ external_id: '_' }), 816],
    ] as [string, (c: Ctx) => string, number][]
  ).map(([label, customer, code]): Row => ({
    label: `redeem ${label}`,
    req: (c) => redeemReq(c, redeemText('1', customer(c))),
    expect: item(code),
  })),
];

/** Other item fields (points and customer valid, validation skipped). */
const fieldRows: Row[] = (
  [
    ['transaction_number of 201 characters', `"transaction_number":${j('t'.repeat(201))}`, 861],
    ['transaction_number of 10 000 characters', `"transaction_number":${j(LONG)}`, 861],
    ['transaction_number is an object', '"transaction_number":{"a":1}', 861],
    ['transaction_number is an array', '"transaction_number":[1]', 861],
    ['transaction_number is true', '"transaction_number":true', 861],
    ['notes of 2001 characters', `"notes":${j('n'.repeat(2001))}`, 861],
    ['notes is an array', '"notes":["x"]', 861],
    ['redemption_purpose of 201 characters', `"redemption_purpose":${j('p'.repeat(201))}`, 861],
    ['external_reference_number is an object', '"external_reference_number":{"a":1}', 861],
    [
      'external_reference_number of 201 characters',
      `"external_reference_number":${j('e'.repeat(201))}`,
      861,
    ],
    // A NUL cannot be stored in a Postgres text column: it must be refused as a bad field.
    ['notes holds a NUL', `"notes":${j('a\u0000b')}`, 861],
    ['transaction_number holds a NUL', `"transaction_number":${j('bill\u0000')}`, 861],
    ['external_reference_number holds a NUL', `"external_reference_number":${j('ern\u0000')}`, 861],
    ['redemption_purpose holds a NUL', `"redemption_purpose":${j('p\u0000')}`, 861],
    ['redemption_time 2024-13-01', '"redemption_time":"2024-13-01 00:00:00"', 859],
    ['redemption_time 25:00', '"redemption_time":"2024-01-01 25:00:00"', 859],
    ['redemption_time as a number', '"redemption_time":1710000000', 859],
    ['redemption_time "now"', '"redemption_time":"now"', 859],
    ['redemption_time is an SQL injection', `"redemption_time":${j(SQL_OR)}`, 859],
    ['redemption_time is an object', '"redemption_time":{"a":1}', 859],
    ['redemption_time with offset +99:99', '"redemption_time":"2024-01-01 00:00:00+99:99"', 859],
    ['redemption_time holds a NUL', `"redemption_time":${j('2024-01-01 00:00:00\u0000')}`, 859],
    ['redemption_time in year 0000', '"redemption_time":"0000-01-01 00:00:00"', 859],
    ['redemption_time before 2000', '"redemption_time":"1999-12-31 23:59:59"', 859],
    ['redemption_time in year 9999', '"redemption_time":"9999-12-31 23:59:59"', 859],
    [
      'redemption_time two days ahead',
      `"redemption_time":"${new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 19).replace('T', ' ')}"`,
      859,
    ],
    ['custom_fields is a string', '"custom_fields":"x"', 860],
    ['custom_fields is an array of numbers', '"custom_fields":[5]', 860],
    ['custom_fields.field is a string', '"custom_fields":{"field":"x"}', 860],
    [
      'custom_fields names an undefined field',
      '"custom_fields":[{"name":"nope","value":"1"}]',
      860,
    ],
    [
      'custom_fields name is an SQL injection',
      `"custom_fields":[{"name":${j(SQL_OR)},"value":"x"}]`,
      860,
    ],
    [
      'unknown fields are ignored, not a 400 (the points still fail)',
      '"discount":5,"till_id":"x","foo":{"bar":[1]}',
      801,
      '"NaN"',
    ],
  ] as [string, string, number, string?][]
).map(([label, extra, code, points]) => ({
  label: `redeem ${label}`,
  req: (c) => redeemReq(c, redeemText(points ?? '1', mobileJson(c), `,${extra}`)),
  expect: item(code),
}));

const validationRows: Row[] = (
  [
    ['validation_code is an SQL injection', `"validation_code":${j(SQL_OR)}`, 808],
    ['validation_code is "1; DROP TABLE redemption"', `"validation_code":${j(SQL_DROP)}`, 808],
    // A NUL makes the field malformed before any code is compared.
    ['validation_code holds a NUL', `"validation_code":${j('AB\u0000CD')}`, 861],
    ['validation_code of 10 000 characters', `"validation_code":${j(LONG)}`, 861],
    ['validation_code is an object', '"validation_code":{"a":1}', 861],
  ] as [string, string, number][]
).map(([label, extra, code]) => ({
  label: `redeem ${label}`,
  req: (c) => redeemReq(c, redeemText('1', mobileJson(c), `,${extra}`), 'format=json'),
  expect: item(code),
}));

const queryRows: Row[] = (
  [
    ['program_id=-1', { program_id: '-1' }, 1101],
    ['program_id=0', { program_id: '0' }, 1101],
    ['program_id=1e3', { program_id: '1e3' }, 1101],
    ['program_id=99999999999', { program_id: '99999999999' }, 1101],
    ['program_id=9007199254740992', { program_id: '9007199254740992' }, 1101],
    ['program_id=NaN', { program_id: 'NaN' }, 1101],
    ['program_id is an SQL injection', { program_id: '1 OR 1=1' }, 1101],
    ['program_id is a quote injection', { program_id: SQL_OR }, 1101],
    ['user_group2_id=abc', { user_group2_id: 'abc' }, 1632],
    ['user_group2_id=9007199254740992', { user_group2_id: '9007199254740992' }, 1632],
    ['user_group2_external_id is an SQL injection', { user_group2_external_id: SQL_OR }, 1632],
    ['user_group2_external_id is a NUL', { user_group2_external_id: '\u0000' }, 1632],
    [
      'user_group2_primary_user_identifier_type is unknown',
      {
        user_group2_primary_user_identifier_type: 'bogus',
        user_group2_primary_user_identifier_value: 'x',
      },
      1632,
    ],
  ] as [string, Record<string, string>, number][]
).map(([label, query, code]) => ({
  label: `redeem query ${label}`,
  req: (c) => redeemReq(c, goodRedeem(c), qs({ skip_validation: 'true', ...query })),
  expect: item(code),
}));

const skipGarbageRow: Row = {
  label: 'redeem query skip_validation=maybe is not a skip (code required: 808)',
  req: (c) => redeemReq(c, goodRedeem(c), 'skip_validation=maybe'),
  expect: item(808),
};

// ---------------------------------------------------------------- isredeemable, validationcode, customer/get

const isRedeemableRows: Row[] = (
  [
    ['points=NaN', { points: 'NaN' }, 801],
    ['points=Infinity', { points: 'Infinity' }, 801],
    ['points=-Infinity', { points: '-Infinity' }, 801],
    ['points=1e309', { points: '1e309' }, 801],
    ['points=10^20', { points: '100000000000000000000' }, 801],
    ['points=123456789012345678901234567890', { points: '123456789012345678901234567890' }, 801],
    ['points=-0', { points: '-0' }, 801],
    ['points=1.0001', { points: '1.0001' }, 878],
    ['points empty', { points: '' }, 801],
    ['points=abc', { points: 'abc' }, 801],
    ['points is an SQL injection', { points: SQL_OR }, 801],
    ['points[]=1 (no points parameter)', { 'points[]': '1' }, 801],
    ['points=NaN with issue_otp=true issues nothing', { points: 'NaN', issue_otp: 'true' }, 801],
    ['program_id=abc', { points: '1', program_id: 'abc' }, 1101],
    ['program_id=9007199254740992', { points: '1', program_id: '9007199254740992' }, 1101],
    [
      'external_reference_number of 300 characters',
      { points: '1', external_reference_number: 'e'.repeat(300) },
      861,
    ],
    [
      'external_reference_number is a NUL',
      { points: '1', external_reference_number: '\u0000' },
      861,
    ],
    ['user_group2_external_id is a NUL', { points: '1', user_group2_external_id: '\u0000' }, 1632],
  ] as [string, Record<string, string>, number][]
).map(([label, query, code]) => ({
  label: `isredeemable ${label}`,
  req: (c) =>
    get(`/v1.1/points/isredeemable?${qs({ mobile: c.mobile, skip_validation: 'true', ...query })}`),
  expect: item(code),
}));

const isRedeemableIdentifierRows: Row[] = (
  [
    ['without identifier', { points: '1' }, 802],
    ['mobile=%00', { mobile: '\u0000', points: '1' }, 802],
    ['mobile of 10 000 characters', { mobile: LONG, points: '1' }, 802],
    ['mobile is an SQL injection', { mobile: SQL_OR, points: '1' }, 816],
    ['id=abc', { id: 'abc', points: '1' }, 802],
    ['id=9007199254740992', { id: '9007199254740992', points: '1' }, 802],
    ['email is an emoji', { email: '😀', points: '1' }, 816],
  ] as [string, Record<string, string>, number][]
).map(([label, query, code]) => ({
  label: `isredeemable ${label}`,
  req: () => get(`/v1.1/points/isredeemable?${qs({ skip_validation: 'true', ...query })}`),
  expect: item(code),
}));

const fracIsRedeemableRow: Row = {
  label: 'isredeemable points=1.234 in the 2-decimal program',
  req: (c) =>
    get(
      `/v1.1/points/isredeemable?${qs({ mobile: c.mobile, points: '1.234', program_id: String(c.frac), skip_validation: 'true' })}`,
    ),
  expect: item(878),
};

const validationCodeRows: Row[] = (
  [
    ['without identifier', () => ({ points: '1' }), 802],
    ['mobile=%00', () => ({ mobile: '\u0000' }), 802],
    ['mobile of 10 000 characters', () => ({ mobile: LONG }), 802],
    ['mobile is an SQL injection', () => ({ mobile: SQL_OR }), 816],
    ['id=-0', () => ({ id: '-0' }), 802],
    ['email is an emoji', () => ({ email: '😀' }), 816],
    ['points=NaN', (c: Ctx) => ({ mobile: c.mobile, points: 'NaN' }), 801],
    ['points=-0', (c: Ctx) => ({ mobile: c.mobile, points: '-0' }), 801],
    ['points=Infinity', (c: Ctx) => ({ mobile: c.mobile, points: 'Infinity' }), 801],
    ['points=1e309', (c: Ctx) => ({ mobile: c.mobile, points: '1e309' }), 801],
    ['points=1.0001', (c: Ctx) => ({ mobile: c.mobile, points: '1.0001' }), 878],
    ['program_id=abc', (c: Ctx) => ({ mobile: c.mobile, program_id: 'abc' }), 1101],
    ['program_id=0', (c: Ctx) => ({ mobile: c.mobile, program_id: '0' }), 1101],
    [
      'program_id=9007199254740992',
      (c: Ctx) => ({ mobile: c.mobile, program_id: '9007199254740992' }),
      1101,
    ],
    ['program_id=99999999999', (c: Ctx) => ({ mobile: c.mobile, program_id: '99999999999' }), 1101],
  ] as [string, (c: Ctx) => Record<string, string>, number][]
).map(([label, query, code]) => ({
  label: `validationcode ${label}`,
  req: (c) => get(`/v1.1/points/validationcode?${qs(query(c))}`),
  expect: item(code),
}));

const customerGetRows: Row[] = (
  [
    ['without identifier', [], 802],
    ['mobile empty', [['mobile', '']], 802],
    [
      'mobile given twice',
      [
        ['mobile', DEMO_MOBILE],
        ['mobile', '1'],
      ],
      802,
    ],
    ['mobile=%00', [['mobile', '\u0000']], 802],
    ['mobile of 10 000 characters', [['mobile', LONG]], 802],
    ['id=abc', [['id', 'abc']], 802],
    ['id=-0', [['id', '-0']], 802],
    ['id=9007199254740992', [['id', '9007199254740992']], 802],
    ['id=1e3', [['id', '1e3']], 802],
    ['mobile is an SQL injection', [['mobile', SQL_OR]], 816],
    ['email is an SQL injection', [['email', "x' OR '1'='1"]], 816],
    ['external_id is "1; DROP TABLE redemption"', [['external_id', SQL_DROP]], 816],
    ['external_id is a string holding JSON', [['external_id', JSON_IN_STRING]], 816],
    ['external_id is an emoji', [['external_id', '😀']], 816],
    ['external_id starts with a right-to-left mark', [['external_id', '\u200f123']], 816],
    ['card_number is a LIKE wildcard %', [['card_number', '%']], 816],
    ['card_number is a LIKE wildcard _', [['card_number', '_']], 816],
  ] as [string, [string, string][], number][]
).map(([label, pairs, code]) => ({
  label: `customer/get ${label}`,
  req: () => get(`/v1.1/customer/get?${qs(pairs)}`),
  expect: item(code),
}));

// ---------------------------------------------------------------- v2 reverse

const REVERSE = '/v2/points/reverse';
const reverseReq = (body: string | undefined, headers: Record<string, string> = JSON_TYPE) =>
  send('POST', REVERSE, body, DEMO_TILL, headers);

const reverseRows: Row[] = [
  ...(
    [
      ['truncated JSON', '{"redemptionId":'],
      ['single quotes', "{'redemptionId':'x'}"],
      ['an unquoted NaN', '{"redemptionId":"x","pointsToBeReversed":NaN}'],
      ['duplicate keys with different values', '{"redemptionId":"a","redemptionId":"b"}'],
      ['trailing garbage', '{"redemptionId":"a"} {}'],
    ] as const
  ).map(([label, body]): Row => ({
    label: `reverse: ${label}`,
    req: () => reverseReq(body),
    expect: v2(400, 400),
  })),
  {
    label: 'reverse: Content-Type text/plain is 415',
    req: (c) => reverseReq(j({ redemptionId: c.redemption }), { 'Content-Type': 'text/plain' }),
    expect: v2(415, 415),
  },
  {
    label: 'reverse: no Content-Type is 415',
    req: (c) => reverseReq(j({ redemptionId: c.redemption }), {}),
    expect: v2(415, 415),
  },
  {
    label: 'reverse: a 150 kB body is 413',
    req: (c) => reverseReq(j({ redemptionId: c.redemption, note: 'n'.repeat(150 * 1024) })),
    expect: v2(413, 413),
  },
  {
    label: 'reverse: an Idempotency-Key of 300 characters',
    req: (c) =>
      reverseReq(j({ redemptionId: c.redemption }), {
        ...JSON_TYPE,
        'Idempotency-Key': 'k'.repeat(300),
      }),
    expect: v2(400, 400),
  },
  {
    label: 'reverse: an Idempotency-Key with a space',
    req: (c) =>
      reverseReq(j({ redemptionId: c.redemption }), { ...JSON_TYPE, 'Idempotency-Key': 'a b' }),
    expect: v2(400, 400),
  },
  // A body that is not a JSON object: 400, as for redeem.
  ...(
    [
      ['empty body', undefined],
      ['an array', '[{"redemptionId":"x"}]'],
      ['a string', '"x"'],
    ] as [string, string | undefined][]
  ).map(([label, body]): Row => ({
    label: `reverse: ${label}`,
    req: () => reverseReq(body),
    expect: v2(400, 400),
  })),
  // Objects that name no redemption: 902 (HTTP 404), whatever the id's shape.
  ...(
    [
      ['{}', '{}'],
      ['redemptionId is a number', '{"redemptionId":123}'],
      ['redemptionId is an array', '{"redemptionId":["abc"]}'],
      ['redemptionId is an operator object', '{"redemptionId":{"$ne":null}}'],
      ['redemptionId is an SQL injection', j({ redemptionId: SQL_OR })],
      ['redemptionId is "1; DROP TABLE redemption"', j({ redemptionId: SQL_DROP })],
      ['redemptionId is a string holding JSON', j({ redemptionId: JSON_IN_STRING })],
      ['redemptionId of 10 000 characters', j({ redemptionId: LONG })],
      ['redemptionId is an emoji', j({ redemptionId: '😀' })],
      ['redemptionId holds a NUL', j({ redemptionId: 'ab\u0000' })],
      ['externalReferenceNumber is an SQL injection', j({ externalReferenceNumber: "' OR ''='" })],
      ['externalReferenceNumber holds a NUL', j({ externalReferenceNumber: 'ern\u0000' })],
      ['unknown fields are ignored, not a 400', '{"redemptionId":"nope00","foo":1,"bar":{"x":[]}}'],
    ] as [string, string | undefined][]
  ).map(([label, body]): Row => ({
    label: `reverse: ${label}`,
    req: () => reverseReq(body),
    expect: v2(404, 902),
  })),
  // pointsToBeReversed on a real redemption of 10 (default program, 3 decimals).
  ...(
    [
      ['"NaN"', 801],
      ['"Infinity"', 801],
      ['"-Infinity"', 801],
      ['1e309', 801],
      ['100000000000000000000', 801],
      ['123456789012345678901234567890', 801],
      ['-0', 801],
      ['"-0"', 801],
      ['0', 801],
      ['-5', 801],
      ['"abc"', 801],
      ['[1]', 801],
      ['{"value":1}', 801],
      ['true', 801],
      [j(SQL_OR), 801],
      ['1.0001', 878],
      ['"2.0001"', 878],
      ['11', 810],
    ] as [string, number][]
  ).map(([literal, code]): Row => ({
    label: `reverse: pointsToBeReversed ${literal}`,
    req: (c) => reverseReq(`{"redemptionId":${j(c.redemption)},"pointsToBeReversed":${literal}}`),
    expect: v2(400, code),
  })),
  {
    label: 'reverse: pointsToBeReversed 0.125 of a 2-decimal program redemption',
    req: (c) => reverseReq(j({ redemptionId: c.fracRedemption, pointsToBeReversed: '0.125' })),
    expect: v2(400, 878),
  },
  {
    label: 'reverse: by externalReferenceNumber, more than the redemption',
    req: (c) => reverseReq(`{"externalReferenceNumber":${j(c.ern)},"pointsToBeReversed":10.001}`),
    expect: v2(400, 810),
  },
  ...(
    [
      ['another customer', (c: Ctx) => ({ type: 'mobile', value: c.otherMobile })],
      ['an SQL injection', () => ({ type: 'mobile', value: SQL_OR })],
      ['an unknown type', () => ({ type: 'bogus', value: 'x' })],
      ['a NUL', () => ({ type: 'mobile', value: '\u0000' })],
      ['a 10 000-character value', () => ({ type: 'external_id', value: LONG })],
    ] as [string, (c: Ctx) => unknown][]
  ).map(([label, identifier]): Row => ({
    label: `reverse: identifier is ${label}`,
    req: (c) => reverseReq(j({ redemptionId: c.redemption, identifier: identifier(c) })),
    expect: v2(400, 816),
  })),
];

// ---------------------------------------------------------------- admin

const adminReq = (method: RawRequest['method'], path: string, body?: string, headers = JSON_TYPE) =>
  send(method, path, body, DEMO_ADMIN, headers);
const adminRows = (
  method: RawRequest['method'],
  path: string,
  rows: [string, (c: Ctx) => string, Expect][],
): Row[] =>
  rows.map(([label, body, expect]) => ({
    label: `${method} ${path}: ${label}`,
    req: (c) => adminReq(method, path, body(c)),
    expect,
  }));
const fixed = (text: string) => () => text;

/** A PATCH must change something: an empty body is a 400 naming the problem. */
const emptyPatchRows: Row[] = [
  ['/admin/config', () => '/admin/config'],
  ['/admin/programs/:id', (c: Ctx) => `/admin/programs/${c.frac}`],
  ['/admin/customers/:id', (c: Ctx) => `/admin/customers/${c.customerId}`],
].map(([label, path]) => ({
  label: `PATCH ${label as string}: an empty body names nothing to change`,
  req: (c: Ctx) => adminReq('PATCH', (path as (c: Ctx) => string)(c), '{}'),
  expect: invalid('(body)'),
}));

const configRows = adminRows('PATCH', '/admin/config', [
  ['otp_validity_minutes 0', fixed('{"otp_validity_minutes":0}'), invalid('otp_validity_minutes')],
  [
    'otp_validity_minutes 1441',
    fixed('{"otp_validity_minutes":1441}'),
    invalid('otp_validity_minutes'),
  ],
  [
    'otp_validity_minutes "15" (a string)',
    fixed('{"otp_validity_minutes":"15"}'),
    invalid('otp_validity_minutes'),
  ],
  [
    'otp_validity_minutes 1.5',
    fixed('{"otp_validity_minutes":1.5}'),
    invalid('otp_validity_minutes'),
  ],
  [
    'otp_validity_minutes 1e309',
    fixed('{"otp_validity_minutes":1e309}'),
    invalid('otp_validity_minutes'),
  ],
  [
    'otp_validity_minutes 10^20',
    fixed('{"otp_validity_minutes":100000000000000000000}'),
    invalid('otp_validity_minutes'),
  ],
  ['otp_length -0', fixed('{"otp_length":-0}'), invalid('otp_length')],
  ['otp_length "NaN"', fixed('{"otp_length":"NaN"}'), invalid('otp_length')],
  ['otp_length null (the column is NOT NULL)', fixed('{"otp_length":null}'), invalid('otp_length')],
  ['otp_required null', fixed('{"otp_required":null}'), invalid('otp_required')],
  ['otp_max_attempts 101', fixed('{"otp_max_attempts":101}'), invalid('otp_max_attempts')],
  ['otp_channel "sms" (lower case)', fixed('{"otp_channel":"sms"}'), invalid('otp_channel')],
  ['otp_channel is an SQL injection', fixed(j({ otp_channel: "SMS' --" })), invalid('otp_channel')],
  ['otp_channel ["SMS"]', fixed('{"otp_channel":["SMS"]}'), invalid('otp_channel')],
  ['otp_required "true" (a string)', fixed('{"otp_required":"true"}'), invalid('otp_required')],
  ['otp_required 1', fixed('{"otp_required":1}'), invalid('otp_required')],
  [
    'failed_item_http_status 500',
    fixed('{"failed_item_http_status":500}'),
    invalid('failed_item_http_status'),
  ],
  [
    'failed_item_http_status "400"',
    fixed('{"failed_item_http_status":"400"}'),
    invalid('failed_item_http_status'),
  ],
  ['an unknown field', fixed('{"otp_length":6,"bogus":1}'), invalid('bogus')],
  ['an array body', fixed('[{"otp_length":6}]'), request(400)],
  ['a string body', fixed('"otp_length=6"'), request(400)],
  ['duplicate keys with different values', fixed('{"otp_length":6,"otp_length":7}'), request(400)],
  ['malformed JSON', fixed('{"otp_length":'), request(400)],
]);

const programRows = adminRows('POST', '/admin/programs', [
  ['no name', fixed('{"decimal_places":2}'), invalid('name')],
  ['name ""', fixed('{"name":""}'), invalid('name')],
  ['name of 10 000 characters', fixed(j({ name: LONG })), invalid('name')],
  ['name is a number', fixed('{"name":5}'), invalid('name')],
  ['name is an object', fixed('{"name":{"a":1}}'), invalid('name')],
  ['name holds a NUL', fixed(j({ name: 'P\u0000' })), invalid('name')],
  ['decimal_places 4', fixed('{"name":"P","decimal_places":4}'), invalid('decimal_places')],
  ['decimal_places 1.5', fixed('{"name":"P","decimal_places":1.5}'), invalid('decimal_places')],
  ['decimal_places "2"', fixed('{"name":"P","decimal_places":"2"}'), invalid('decimal_places')],
  ['min_redeem "abc"', fixed('{"name":"P","min_redeem":"abc"}'), invalid('min_redeem')],
  ['min_redeem -1', fixed('{"name":"P","min_redeem":-1}'), invalid('min_redeem')],
  ['min_redeem 1.2345', fixed('{"name":"P","min_redeem":1.2345}'), invalid('min_redeem')],
  ['min_redeem 1e309', fixed('{"name":"P","min_redeem":1e309}'), invalid('min_redeem')],
  ['max_redeem 0', fixed('{"name":"P","max_redeem":0}'), invalid('max_redeem')],
  [
    'redeem_multiple_of -0',
    fixed('{"name":"P","redeem_multiple_of":-0}'),
    invalid('redeem_multiple_of'),
  ],
  [
    'points_currency_ratio "NaN"',
    fixed('{"name":"P","points_currency_ratio":"NaN"}'),
    invalid('points_currency_ratio'),
  ],
  [
    'points_currency_ratio "Infinity"',
    fixed('{"name":"P","points_currency_ratio":"Infinity"}'),
    invalid('points_currency_ratio'),
  ],
  [
    'points_currency_ratio 10^13',
    fixed('{"name":"P","points_currency_ratio":10000000000000}'),
    invalid('points_currency_ratio'),
  ],
  ['is_default "yes"', fixed('{"name":"P","is_default":"yes"}'), invalid('is_default')],
  ['an unknown field', fixed('{"name":"P","ratio":1}'), invalid('ratio')],
  ['an array body', fixed('[{"name":"P"}]'), request(400)],
]);

const customerCreateRows = adminRows('POST', '/admin/customers', [
  ['{} (no identifier)', fixed('{}'), request(400)],
  ['mobile "abc"', fixed('{"mobile":"abc"}'), invalid('mobile')],
  ['mobile as a number', fixed('{"mobile":919812345678}'), invalid('mobile')],
  ['mobile is an SQL injection', fixed(j({ mobile: SQL_OR })), invalid('mobile')],
  ['mobile is a string holding JSON', fixed(j({ mobile: JSON_IN_STRING })), invalid('mobile')],
  ['mobile is an emoji', fixed(j({ mobile: '😀' })), invalid('mobile')],
  [
    'mobile with a right-to-left mark',
    fixed(j({ mobile: '\u200f919812345678' })),
    invalid('mobile'),
  ],
  ['mobile holds a NUL', fixed(j({ mobile: '9198\u00002345678' })), invalid('mobile')],
  ['email "not-an-email"', fixed('{"email":"not-an-email"}'), invalid('email')],
  ['email is an SQL injection', fixed(j({ email: SQL_OR })), invalid('email')],
  ['email of 10 000 characters', fixed(j({ email: `${LONG}@example.com` })), invalid('email')],
  ['external_id ""', fixed('{"external_id":""}'), invalid('external_id')],
  [
    'external_id of 201 characters',
    fixed(j({ external_id: 'e'.repeat(201) })),
    invalid('external_id'),
  ],
  ['external_id holds a NUL', fixed(j({ external_id: 'a\u0000b' })), invalid('external_id')],
  [
    'firstname holds a NUL',
    fixed(j({ mobile: '919812340001', firstname: 'x\u0000' })),
    invalid('firstname'),
  ],
  [
    'firstname of 10 000 characters',
    fixed(j({ mobile: '919812340002', firstname: LONG })),
    invalid('firstname'),
  ],
  ['an unknown field', fixed('{"mobile":"919812340003","points":5}'), invalid('points')],
  ['an array body', fixed('[{"mobile":"919812340004"}]'), request(400)],
  ['the mobile of an existing customer is 409', fixed(j({ mobile: DEMO_MOBILE })), request(409)],
]);

const creditRows = adminRows('POST', '/admin/points/credit', [
  ...(
    [
      ['missing', ''],
      ['0', ',"points":0'],
      ['-5', ',"points":-5'],
      ['-0', ',"points":-0'],
      ['"-0"', ',"points":"-0"'],
      ['"NaN"', ',"points":"NaN"'],
      ['"Infinity"', ',"points":"Infinity"'],
      ['"-Infinity"', ',"points":"-Infinity"'],
      ['1e309', ',"points":1e309'],
      ['10^20', ',"points":100000000000000000000'],
      ['123456789012345678901234567890', ',"points":123456789012345678901234567890'],
      ['1.0001', ',"points":1.0001'],
      ['"abc"', ',"points":"abc"'],
      ['[1]', ',"points":[1]'],
      ['{"value":1}', ',"points":{"value":1}'],
      ['true', ',"points":true'],
      ['an SQL injection', `,"points":${j(SQL_OR)}`],
    ] as [string, string][]
  ).map(([label, points]): [string, (c: Ctx) => string, Expect] => [
    `points ${label}`,
    (c) => `{"customer_id":${c.customerId}${points}}`,
    invalid('points'),
  ]),
  ['no target', fixed('{"points":1}'), request(400)],
  [
    'two targets',
    (c) => j({ customer_id: c.customerId, customer: { mobile: c.mobile }, points: 1 }),
    request(400),
  ],
  ['customer_id "5" (a string)', fixed('{"customer_id":"5","points":1}'), invalid('customer_id')],
  ['customer_id 1.5', fixed('{"customer_id":1.5,"points":1}'), invalid('customer_id')],
  ['customer_id null', fixed('{"customer_id":null,"points":1}'), request(400)],
  ['customer is an array', fixed('{"customer":[1],"points":1}'), request(400)],
  ['customer is a string', fixed('{"customer":"x","points":1}'), request(400)],
  [
    'customer.mobile is a number',
    fixed('{"customer":{"mobile":919900000001},"points":1}'),
    request(400),
  ],
  [
    'customer.mobile holds a NUL',
    fixed(j({ customer: { mobile: '9\u0000' }, points: 1 })),
    request(400),
  ],
  ['an unknown customer_id is 404', fixed('{"customer_id":999999,"points":1}'), request(404)],
  [
    'customer_id 9007199254740992 is out of range',
    fixed('{"customer_id":9007199254740992,"points":1}'),
    request(400),
  ],
  [
    'group_id 9007199254740992 is out of range',
    fixed('{"group_id":9007199254740992,"points":1}'),
    request(400),
  ],
  [
    'an unknown customer mobile is 404',
    fixed(j({ customer: { mobile: SQL_OR }, points: 1 })),
    request(404),
  ],
  [
    'an unknown program_id is 404',
    (c) => j({ customer_id: c.customerId, program_id: 999999, points: 1 }),
    request(404),
  ],
  [
    'program_id 9007199254740992 is out of range',
    (c) => `{"customer_id":${c.customerId},"program_id":9007199254740992,"points":1}`,
    request(400),
  ],
  [
    'expires_at in the past',
    (c) => j({ customer_id: c.customerId, points: 1, expires_at: '2001-01-01T00:00:00Z' }),
    invalid('expires_at'),
  ],
  [
    'expires_at "tomorrow"',
    (c) => j({ customer_id: c.customerId, points: 1, expires_at: 'tomorrow' }),
    invalid('expires_at'),
  ],
  [
    'expires_at 2024-02-30',
    (c) => j({ customer_id: c.customerId, points: 1, expires_at: '2024-02-30T00:00:00Z' }),
    invalid('expires_at'),
  ],
  [
    'earned_at is an SQL injection',
    (c) => j({ customer_id: c.customerId, points: 1, earned_at: SQL_OR }),
    invalid('earned_at'),
  ],
  [
    'note of 501 characters',
    (c) => j({ customer_id: c.customerId, points: 1, note: 'n'.repeat(501) }),
    invalid('note'),
  ],
  [
    'note holds a NUL',
    (c) => j({ customer_id: c.customerId, points: 1, note: 'n\u0000' }),
    invalid('note'),
  ],
  [
    'an unknown field',
    (c) => j({ customer_id: c.customerId, points: 1, reason: 'x' }),
    invalid('reason'),
  ],
  ['an array body', (c) => j([{ customer_id: c.customerId, points: 1 }]), request(400)],
]);
const creditContentTypeRow: Row = {
  label: 'POST /admin/points/credit: Content-Type text/plain is 415',
  req: (c) =>
    adminReq('POST', '/admin/points/credit', j({ customer_id: c.customerId, points: 1 }), {
      'Content-Type': 'text/plain',
    }),
  expect: request(415),
};
const adminXmlRow: Row = {
  label: 'POST /admin/customers: an XML body is 415 (XML is for the till API only)',
  req: () =>
    adminReq('POST', '/admin/customers', '<root><mobile>919812340010</mobile></root>', {
      'Content-Type': 'application/xml',
    }),
  expect: request(415),
};
const adminSizeRow: Row = {
  label: 'POST /admin/customers: a 150 kB body is 413',
  req: () =>
    adminReq(
      'POST',
      '/admin/customers',
      j({ mobile: '919812340009', firstname: 'f'.repeat(150 * 1024) }),
    ),
  expect: request(413),
};
const adminEmptyRow: Row = {
  label: 'POST /admin/programs: empty body',
  req: () => adminReq('POST', '/admin/programs'),
  expect: request(400),
};

const groupRows = adminRows('POST', '/admin/groups', [
  ['{}', fixed('{}'), request(400)],
  ['no external_id', (c) => j({ primary_customer_id: c.customerId }), invalid('external_id')],
  [
    'external_id ""',
    (c) => j({ external_id: '', primary_customer_id: c.customerId }),
    invalid('external_id'),
  ],
  [
    'external_id of 10 000 characters',
    (c) => j({ external_id: LONG, primary_customer_id: c.customerId }),
    invalid('external_id'),
  ],
  [
    'external_id holds a NUL',
    (c) => j({ external_id: 'g\u0000', primary_customer_id: c.customerId }),
    invalid('external_id'),
  ],
  [
    'primary_customer_id "1"',
    fixed('{"external_id":"g-new","primary_customer_id":"1"}'),
    invalid('primary_customer_id'),
  ],
  [
    'primary_customer_id -0',
    fixed('{"external_id":"g-new","primary_customer_id":-0}'),
    invalid('primary_customer_id'),
  ],
  [
    'primary_customer_id null',
    fixed('{"external_id":"g-new","primary_customer_id":null}'),
    invalid('primary_customer_id'),
  ],
  [
    'member_ids is a string',
    (c) => j({ external_id: 'g-new', primary_customer_id: c.customerId, member_ids: '1,2' }),
    invalid('member_ids'),
  ],
  [
    'member_ids holds 0',
    (c) => j({ external_id: 'g-new', primary_customer_id: c.customerId, member_ids: [0] }),
    invalid('member_ids'),
  ],
  [
    'member_ids is an object',
    (c) => j({ external_id: 'g-new', primary_customer_id: c.customerId, member_ids: { 0: 1 } }),
    invalid('member_ids'),
  ],
  [
    'redemption_enabled "true"',
    (c) =>
      j({ external_id: 'g-new', primary_customer_id: c.customerId, redemption_enabled: 'true' }),
    invalid('redemption_enabled'),
  ],
  [
    'an unknown field',
    (c) => j({ external_id: 'g-new', primary_customer_id: c.customerId, owner: 1 }),
    invalid('owner'),
  ],
  [
    'an unknown primary_customer_id is 404',
    fixed('{"external_id":"g-new","primary_customer_id":999999}'),
    request(404),
  ],
  [
    'primary_customer_id 9007199254740992 is out of range',
    fixed('{"external_id":"g-new","primary_customer_id":9007199254740992}'),
    request(400),
  ],
  [
    'an unknown member is 404 (and the group is not created)',
    (c) => j({ external_id: 'g-new', primary_customer_id: c.customerId, member_ids: [999999] }),
    request(404),
  ],
  [
    'an existing external_id is 409',
    (c) => j({ external_id: c.groupExternalId, primary_customer_id: c.customerId }),
    request(409),
  ],
]);

const adminPathRows: Row[] = [
  {
    label: 'GET /admin/customers/abc',
    req: () => adminReq('GET', '/admin/customers/abc'),
    expect: invalid('id'),
  },
  {
    label: 'GET /admin/customers/2147483648 is 404 (ids are bigint: it names no customer)',
    req: () => adminReq('GET', '/admin/customers/2147483648'),
    expect: request(404),
  },
  {
    label: 'GET /admin/customers/9007199254740991 is 404',
    req: () => adminReq('GET', '/admin/customers/9007199254740991'),
    expect: request(404),
  },
  {
    label: 'GET /admin/customers/9007199254740992 (past what a number holds exactly)',
    req: () => adminReq('GET', '/admin/customers/9007199254740992'),
    expect: invalid('id'),
  },
  {
    label: 'GET /admin/groups/9007199254740991 is 404',
    req: () => adminReq('GET', '/admin/groups/9007199254740991'),
    expect: request(404),
  },
  // Programs have NOT NULL columns: null is not "leave unchanged", it is invalid.
  ...(['name', 'min_redeem', 'decimal_places'] as const).map((field): Row => ({
    label: `PATCH /admin/programs/:id: ${field} null`,
    req: (c) => adminReq('PATCH', `/admin/programs/${c.frac}`, `{"${field}":null}`),
    expect: invalid(field),
  })),
  {
    label: 'PATCH /admin/programs/:id: decimal_places 4',
    req: (c) => adminReq('PATCH', `/admin/programs/${c.frac}`, '{"decimal_places":4}'),
    expect: invalid('decimal_places'),
  },
  {
    label: 'GET /admin/notifications?customer_id=1%20OR%201=1',
    req: () => adminReq('GET', `/admin/notifications?${qs({ customer_id: '1 OR 1=1' })}`),
    expect: invalid('customer_id'),
  },
];

// ---------------------------------------------------------------- credentials

const authRows: Row[] = (
  [
    ['no Authorization header', undefined],
    ['a Bearer token', 'Bearer abc'],
    ['Basic with invalid base64', 'Basic !!!'],
    ['Basic without a colon', `Basic ${Buffer.from('demo.till').toString('base64')}`],
    ['the word Basic alone', 'Basic'],
    ['an empty password', `Basic ${Buffer.from('demo.till:').toString('base64')}`],
    ['an empty username', `Basic ${Buffer.from(`:${md5('demo.pass')}`).toString('base64')}`],
    ['an SQL injection as username', basic(SQL_OR, 'x')],
    ['a 10 000-character username', basic(LONG, 'x')],
    ['the right password with a NUL appended', basic('demo.till', 'demo.pass\u0000')],
    [
      'the MD5 of the password with one digit changed',
      `Basic ${Buffer.from(`demo.till:${md5('demo.pass').replace(/^./, (ch) => (ch === '0' ? '1' : '0'))}`).toString('base64')}`,
    ],
  ] as [string, string | undefined][]
).map(([label, auth]) => ({
  label: `auth: redeem with ${label} is 401`,
  req: (c) => {
    const r = redeemReq(c, goodRedeem(c));
    const headers = { ...(r.headers ?? {}) };
    if (auth === undefined) delete headers.Authorization;
    else headers.Authorization = auth;
    return { ...r, headers };
  },
  expect: request(401),
}));

const ROWS: Row[] = [
  ...redeemRequestRows,
  ...pointsRows,
  ...fractionalPointsRows,
  ...customerRows,
  ...fieldRows,
  ...validationRows,
  ...queryRows,
  skipGarbageRow,
  ...isRedeemableRows,
  ...isRedeemableIdentifierRows,
  fracIsRedeemableRow,
  ...validationCodeRows,
  ...customerGetRows,
  ...reverseRows,
  ...configRows,
  ...emptyPatchRows,
  ...programRows,
  ...customerCreateRows,
  ...creditRows,
  creditContentTypeRow,
  adminSizeRow,
  adminXmlRow,
  adminEmptyRow,
  ...groupRows,
  ...adminPathRows,
  ...authRows,
];

/** Where a single-item v1.1 answer puts its item, per endpoint. */
function itemPath(path: string): string[] {
  if (path.startsWith('/v1.1/points/redeem')) return ['response', 'responses', 'points'];
  if (path.startsWith('/v1.1/points/isredeemable')) return ['response', 'points', 'redeemable'];
  if (path.startsWith('/v1.1/points/validationcode'))
    return ['response', 'validation_code', 'code'];
  if (path.startsWith('/v1.1/customer/get')) return ['response', 'customers', 'customer', '0'];
  throw new Error(`no item status for ${path}`);
}

/** The code a row observed, read the way its expectation says. */
function observedCode(row: Row, path: string, res: RawResponse): unknown {
  switch (row.expect.kind) {
    case 'request':
      return dig(res.json, 'response', 'status', 'code');
    case 'item':
      return dig(res.json, ...itemPath(path), 'item_status', 'code');
    case 'v2':
      return dig(res.json, 'errors', 0, 'code');
  }
}

describe('bad input: malformed requests are refused in their envelope and write nothing', () => {
  let t: TestApp;
  let ctx: Ctx;

  beforeAll(async () => {
    t = await startTestApp('bad_input', { RATE_LIMIT_PER_MINUTE: '100000' });
    const frac = await createProgram(t, {
      name: 'Fractional',
      decimal_places: 2,
      min_redeem: '0',
      redeem_multiple_of: null,
    });
    const customer = await makeCustomer(t, [{ points: 1000 }, { points: 500, program_id: frac }]);
    const other = await makeCustomer(t, [{ points: 10 }]);
    const ern = `bad-input-ern-${Date.now()}`;
    const skip = { skip_validation: 'true' };
    const redemption = await redeemFor(t, customer.mobile, 10, skip, DEMO_TILL, {
      external_reference_number: ern,
    });
    const fracRedemption = await redeemFor(t, customer.mobile, '10.5', {
      ...skip,
      program_id: String(frac),
    });
    const group = await admin(t, 'post', '/admin/groups', {
      external_id: 'bad-input-group',
      primary_customer_id: other.id,
    });
    if (group.status !== 201) throw new Error(`create group: ${group.status} ${group.text}`);
    ctx = {
      mobile: customer.mobile,
      customerId: customer.id,
      otherMobile: other.mobile,
      frac,
      redemption,
      ern,
      fracRedemption,
      groupExternalId: 'bad-input-group',
    };
  });

  afterAll(async () => {
    await t?.close();
  });

  it('the table has at least 100 rows, each with a distinct label', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(ROWS.map((r) => r.label)).size).toBe(ROWS.length);
  });

  it.each(ROWS.map((r) => [r.label, r] as const))('%s', async (_label, row) => {
    const req = row.req(ctx);
    const before = await dbSnapshot(t);
    const res = await rawRequest(t.url, req);
    const after = await dbSnapshot(t);
    const e = row.expect;

    // The essentials in one comparison, so a failure shows status, code, writes and body.
    const expected = { http: e.kind === 'item' ? 200 : e.http, code: e.code, writes: {} };
    const observed = {
      http: res.status,
      code: observedCode(row, req.path, res),
      writes: changed(before, after),
    };
    const same = observed.http === expected.http && observed.code === expected.code;
    expect(same ? observed : { ...observed, body: res.text.slice(0, 400) }).toEqual(expected);

    expect(res.status).toBeLessThan(500);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-cap-requestid']).toMatch(REQUEST_ID);
    expect(res.text).not.toMatch(LEAK);
    const status = dig(res.json, 'response', 'status');
    const message = (v: unknown): string => {
      const m = dig(v, 'message');
      return typeof m === 'string' ? m : '';
    };
    switch (e.kind) {
      case 'request':
        expect(status).toEqual({ success: 'false', code: e.code, message: expect.any(String) });
        expect(message(status).length).toBeGreaterThan(0);
        if (e.field !== undefined) {
          expect(dig(res.json, 'response', 'errors')).toEqual(
            expect.arrayContaining([{ field: e.field, message: expect.any(String) }]),
          );
        }
        if (e.http === 401) expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
        break;
      case 'item': {
        expect(status).toEqual({ success: 'false', code: 500, message: expect.any(String) });
        const entry = dig(res.json, ...itemPath(req.path));
        const itemStatus = dig(entry, 'item_status');
        expect(itemStatus).toEqual({ success: 'false', code: e.code, message: expect.any(String) });
        expect(message(itemStatus).length).toBeGreaterThan(0);
        if (req.path.startsWith(REDEEM)) {
          expect(entry).not.toHaveProperty('redemption_id');
          expect(entry).not.toHaveProperty('balance');
          expect(dig(entry, 'side_effects')).toEqual({ effect: [] });
          expect(dig(entry, 'redeemed_value')).toBe(0);
        }
        break;
      }
      case 'v2':
        expect(res.json).toEqual({ errors: [{ code: e.code, message: expect.any(String) }] });
        expect(message(dig(res.json, 'errors', 0)).length).toBeGreaterThan(0);
        break;
    }
  });

  // Last, because it writes: proves the snapshot the rows rely on does see a write.
  it('control: the same checks see a valid redeem as a write', async () => {
    const before = await dbSnapshot(t);
    const res = await rawRequest(t.url, redeemReq(ctx, goodRedeem(ctx)));
    expect(res.status).toBe(200);
    expect(dig(res.json, ...itemPath(REDEEM), 'item_status', 'code')).toBe(800);
    expect(Object.keys(changed(before, await dbSnapshot(t)))).toEqual(
      expect.arrayContaining([
        'redemption',
        'redemption_allocation',
        'ledger_entry',
        'wallet_balances',
      ]),
    );
  });
});
