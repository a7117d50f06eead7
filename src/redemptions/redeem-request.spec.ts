import { LosslessNumber } from 'lossless-json';
import { ApiError } from '../capillary/api-error';
import {
  firstItemProblem,
  parseBool,
  parseRedeemBody,
  parseRedeemQuery,
  parseRedemptionTime,
  queryValue,
  RedeemItem,
} from './redeem-request';

const n = (literal: string) => new LosslessNumber(literal);
const body = (redeem: unknown): unknown => ({ root: { redeem } });
const good = {
  points_redeemed: n('10.5'),
  customer: { mobile: '919900000001' },
};
const one = (item: Record<string, unknown>): RedeemItem => {
  const [parsed] = parseRedeemBody(body(item), 20);
  return parsed;
};

function thrown(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('parseRedeemBody: request shape', () => {
  it('a single object is one item', () => {
    const items = parseRedeemBody(body(good), 20);
    expect(items).toHaveLength(1);
    expect(items[0].points).toEqual({ ok: true, points: expect.anything() });
    expect(items[0].customer).toEqual({ type: 'mobile', value: '919900000001' });
  });

  it('an array keeps request order', () => {
    const items = parseRedeemBody(
      body([
        { ...good, external_reference_number: 'a' },
        { ...good, external_reference_number: 'b' },
        { ...good, external_reference_number: 'c' },
      ]),
      20,
    );
    expect(items.map((i) => i.externalReferenceNumber)).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['no body', undefined],
    ['null', null],
    ['a string', 'x'],
    ['an empty object', {}],
    ['root a string', { root: 'x' }],
    ['root an array', { root: [] }],
    ['root without redeem', { root: {} }],
    ['redeem a number', { root: { redeem: n('5') } }],
    ['redeem a string', { root: { redeem: 'x' } }],
    ['redeem null', { root: { redeem: null } }],
    ['redeem an empty array', { root: { redeem: [] } }],
  ])('%s is a 400 ApiError', (_label, raw) => {
    const err = thrown(() => parseRedeemBody(raw, 20));
    expect(err.httpStatus).toBe(400);
    expect(err.code).toBe(400);
    expect(err.fieldErrors.map((f) => f.field)).toContain('root.redeem');
  });

  it('exactly maxBatch items is fine', () => {
    expect(parseRedeemBody(body(Array.from({ length: 3 }, () => good)), 3)).toHaveLength(3);
  });

  it('more than maxBatch items is request-level 1060', () => {
    const err = thrown(() => parseRedeemBody(body(Array.from({ length: 4 }, () => good)), 3));
    expect(err.httpStatus).toBe(400);
    expect(err.code).toBe(1060);
    expect(err.message).toMatch(/4/);
  });

  it.each([
    ['a number', n('5')],
    ['a string', 'x'],
    ['null', null],
    ['an array', [good]],
  ])('an item that is %s fails the request with 400', (_label, bad) => {
    const err = thrown(() => parseRedeemBody(body([good, bad]), 20));
    expect(err.httpStatus).toBe(400);
    expect(err.code).toBe(400);
    expect(err.fieldErrors).toEqual([{ field: 'root.redeem[1]', message: expect.any(String) }]);
  });
});

describe('parseRedeemBody: item fields', () => {
  it('reads every documented field', () => {
    const item = one({
      points_redeemed: n('10.5'),
      customer: { mobile: '919988776655' },
      transaction_number: 'bill-1001',
      external_reference_number: 'pos7-000123',
      validation_code: 'NS3U05',
      redemption_time: '2024-03-13 18:02:34',
      notes: 'paid part of bill by points',
      redemption_purpose: 'bill',
      custom_fields: { field: [{ name: 'channel', value: 'POS' }] },
    });
    expect(item.points.ok && item.points.points.toString()).toBe('10.5');
    expect(item.customer).toEqual({ type: 'mobile', value: '919988776655' });
    expect(item.customerEcho).toEqual({ mobile: '919988776655', email: '', external_id: '' });
    expect(item.transactionNumber).toBe('bill-1001');
    expect(item.externalReferenceNumber).toBe('pos7-000123');
    expect(item.validationCode).toBe('NS3U05');
    expect(item.redemptionTime).toEqual(new Date('2024-03-13T18:02:34Z'));
    expect(item.notes).toBe('paid part of bill by points');
    expect(item.purpose).toBe('bill');
    expect(item.customFields).toEqual([{ name: 'channel', value: 'POS' }]);
    expect(item.groupRedemption).toBe(false);
    expect(item.invalidField).toBeNull();
    expect(firstItemProblem(item)).toBeNull();
  });

  it('empty strings are absent', () => {
    const item = one({
      ...good,
      customer: { id: '', mobile: '', email: '', external_id: 'ext-1' },
      transaction_number: '',
      external_reference_number: '',
      validation_code: '',
      redemption_time: '',
      notes: '',
      redemption_purpose: '',
      custom_fields: '',
    });
    expect(item.customer).toEqual({ type: 'external_id', value: 'ext-1' });
    expect(item.externalReferenceNumber).toBeNull();
    expect(item.validationCode).toBeNull();
    expect(item.redemptionTime).toBeNull();
    expect(item.transactionNumber).toBe('');
    expect(item.notes).toBe('');
    expect(item.customFields).toEqual([]);
    expect(firstItemProblem(item)).toBeNull();
  });

  it('absent optional fields have neutral values', () => {
    const item = one(good);
    expect(item.externalReferenceNumber).toBeNull();
    expect(item.validationCode).toBeNull();
    expect(item.redemptionTime).toBeNull();
    expect(item.customFields).toEqual([]);
    expect(item.transactionNumber).toBe('');
  });

  it('unknown fields sent by real clients are ignored', () => {
    const item = one({
      ...good,
      discount: n('5'),
      till_id: 'till-7',
      billing_time: '2024-03-13 18:02:34',
      whatever: { nested: [1, 2] },
    });
    expect(firstItemProblem(item)).toBeNull();
  });

  it('transaction_number may be a number, kept as its literal', () => {
    expect(one({ ...good, transaction_number: n('1001') }).transactionNumber).toBe('1001');
    expect(one({ ...good, transaction_number: n('12345678901234567890') }).transactionNumber).toBe(
      '12345678901234567890',
    );
  });

  it('group_redemption as boolean or string', () => {
    expect(one({ ...good, group_redemption: true }).groupRedemption).toBe(true);
    expect(one({ ...good, group_redemption: 'true' }).groupRedemption).toBe(true);
    expect(one({ ...good, group_redemption: 'false' }).groupRedemption).toBe(false);
    expect(one({ ...good, group_redemption: false }).groupRedemption).toBe(false);
  });

  it('customer missing vs malformed', () => {
    expect(one({ points_redeemed: n('1') }).customer).toBe('missing');
    expect(one({ points_redeemed: n('1'), customer: {} }).customer).toBe('missing');
    expect(one({ points_redeemed: n('1'), customer: 'x' }).customer).toBe('malformed');
    expect(one({ points_redeemed: n('1'), customer: ['x'] }).customer).toBe('malformed');
    expect(one({ points_redeemed: n('1'), customer: { id: 'abc' } }).customer).toBe('malformed');
  });

  it('custom_fields in the {"field":[…]} shape', () => {
    const item = one({
      ...good,
      custom_fields: {
        field: [
          { name: 'channel', value: 'POS' },
          { name: 'lane', value: n('7') },
        ],
      },
    });
    expect(item.customFields).toEqual([
      { name: 'channel', value: 'POS' },
      { name: 'lane', value: '7' },
    ]);
  });

  it('custom_fields as a bare array', () => {
    expect(
      one({ ...good, custom_fields: [{ name: 'channel', value: 'POS' }] }).customFields,
    ).toEqual([{ name: 'channel', value: 'POS' }]);
  });

  it('custom_fields with a single field object', () => {
    expect(
      one({ ...good, custom_fields: { field: { name: 'channel', value: 'POS' } } }).customFields,
    ).toEqual([{ name: 'channel', value: 'POS' }]);
  });

  it.each([
    ['a string', 'channel=POS'],
    ['a number', n('5')],
    ['an entry without name', [{ value: 'POS' }]],
    ['an entry that is a string', ['channel']],
    ['an object value', [{ name: 'channel', value: { x: 1 } }]],
  ])('custom_fields as %s is invalid', (_label, value) => {
    const item = one({ ...good, custom_fields: value });
    expect(item.customFields).toBe('invalid');
    expect(firstItemProblem(item)).toBe('UNKNOWN_CUSTOM_FIELD');
  });

  it('a field too long or of the wrong type is INVALID_FIELD', () => {
    const long = one({ ...good, notes: 'x'.repeat(2001) });
    expect(long.invalidField).toBe('notes');
    expect(firstItemProblem(long)).toBe('INVALID_FIELD');
    expect(one({ ...good, notes: 'x'.repeat(2000) }).invalidField).toBeNull();
    const obj = one({ ...good, external_reference_number: { a: 1 } });
    expect(obj.invalidField).toBe('external_reference_number');
    expect(firstItemProblem(obj)).toBe('INVALID_FIELD');
  });
});

describe('firstItemProblem order', () => {
  const everythingWrong = {
    points_redeemed: 'abc',
    redemption_time: 'yesterday',
    custom_fields: 'x',
    notes: { a: 1 },
  };

  it('points first', () => {
    expect(firstItemProblem(one(everythingWrong))).toBe('INVALID_POINTS');
    expect(firstItemProblem(one({ ...everythingWrong, points_redeemed: '1.1111' }))).toBe(
      'INVALID_PRECISION',
    );
  });

  it('then redemption_time', () => {
    expect(firstItemProblem(one({ ...everythingWrong, points_redeemed: n('5') }))).toBe(
      'INVALID_REDEMPTION_TIME',
    );
  });

  it('then the customer identifier', () => {
    expect(
      firstItemProblem(one({ ...everythingWrong, points_redeemed: n('5'), redemption_time: '' })),
    ).toBe('MISSING_CUSTOMER_IDENTIFIER');
  });

  it('then custom fields, then other fields', () => {
    const base = { ...everythingWrong, points_redeemed: n('5'), redemption_time: '' };
    expect(firstItemProblem(one({ ...base, customer: { mobile: '9199' } }))).toBe(
      'UNKNOWN_CUSTOM_FIELD',
    );
    expect(
      firstItemProblem(one({ ...base, customer: { mobile: '9199' }, custom_fields: [] })),
    ).toBe('INVALID_FIELD');
  });

  it('points missing entirely is INVALID_POINTS', () => {
    expect(firstItemProblem(one({ customer: { mobile: '9199' } }))).toBe('INVALID_POINTS');
  });
});

describe('parseRedeemQuery', () => {
  it('defaults', () => {
    expect(parseRedeemQuery({})).toEqual({
      programId: undefined,
      skipValidation: false,
      validationType: 'SMS',
      group: undefined,
    });
  });

  it.each([
    ['1', 1],
    ['42', 42],
    [' 7 ', 7],
    ['2147483647', 2147483647],
    ['2147483648', 2147483648],
    ['9007199254740991', 9007199254740991],
    ['', undefined],
    ['abc', 'invalid'],
    ['0', 'invalid'],
    ['-1', 'invalid'],
    ['1.5', 'invalid'],
    ['1e2', 'invalid'],
    ['9007199254740992', 'invalid'],
    ['99999999999999999', 'invalid'],
  ])('program_id=%p → %p', (value, expected) => {
    expect(parseRedeemQuery({ program_id: value }).programId).toBe(expected);
  });

  it('a repeated program_id takes the first', () => {
    expect(parseRedeemQuery({ program_id: ['3', '4'] }).programId).toBe(3);
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['True', true],
    ['1', true],
    ['false', false],
    ['0', false],
    ['', false],
    ['no', false],
  ])('skip_validation=%p → %p', (value, expected) => {
    expect(parseRedeemQuery({ skip_validation: value }).skipValidation).toBe(expected);
  });

  it.each([
    ['MISSED_CALL', 'MISSED_CALL'],
    ['missed_call', 'MISSED_CALL'],
    ['SMS', 'SMS'],
    ['sms', 'SMS'],
    ['', 'SMS'],
    ['EMAIL', 'SMS'],
  ])('validation_type=%p → %p', (value, expected) => {
    expect(parseRedeemQuery({ validation_type: value }).validationType).toBe(expected);
  });

  it('ignores junk parameters', () => {
    expect(parseRedeemQuery({ format: 'json', mlp: '1', user_id: '3', '<query': '' })).toEqual(
      parseRedeemQuery({}),
    );
  });

  it('any user_group2_* parameter makes a group selector', () => {
    expect(parseRedeemQuery({ user_group2_external_id: 'fam-1' }).group).toEqual({
      id: undefined,
      externalId: 'fam-1',
      primaryUserId: undefined,
      primaryIdentifierType: undefined,
      primaryIdentifierValue: undefined,
    });
    expect(parseRedeemQuery({ user_group2_id: '12' }).group).toMatchObject({ id: '12' });
    expect(parseRedeemQuery({ user_group2_primary_user_id: '5' }).group).toMatchObject({
      primaryUserId: '5',
    });
    expect(
      parseRedeemQuery({
        user_group2_primary_user_identifier_type: 'mobile',
        user_group2_primary_user_identifier_value: '919900000001',
      }).group,
    ).toMatchObject({
      primaryIdentifierType: 'mobile',
      primaryIdentifierValue: '919900000001',
    });
  });

  it('empty user_group2_* parameters are absent', () => {
    expect(parseRedeemQuery({ user_group2_id: '', user_group2_external_id: '  ' }).group).toBe(
      undefined,
    );
  });
});

describe('parseRedemptionTime', () => {
  it.each([
    ['2024-03-13 18:02:34', '2024-03-13T18:02:34.000Z'],
    ['2024-02-29 10:00:00', '2024-02-29T10:00:00.000Z'],
    ['2024-03-13T18:02:34', '2024-03-13T18:02:34.000Z'],
    ['2024-03-13T18:02:34Z', '2024-03-13T18:02:34.000Z'],
    ['2024-03-13T18:02:34+05:30', '2024-03-13T12:32:34.000Z'],
    ['2024-03-13 18:02:34+0530', '2024-03-13T12:32:34.000Z'],
    ['2024-03-13T18:02:34-04:00', '2024-03-13T22:02:34.000Z'],
    ['2024-12-31 23:59:59', '2024-12-31T23:59:59.000Z'],
  ])('%p is %p', (value, iso) => {
    const t = parseRedemptionTime(value);
    expect(t).toBeInstanceOf(Date);
    expect((t as Date).toISOString()).toBe(iso);
  });

  it.each([
    '2024-02-30 10:00:00',
    '2023-02-29 10:00:00',
    '2024-04-31 10:00:00',
    '2024-13-01 10:00:00',
    '2024-00-10 10:00:00',
    '2024-03-13 24:00:00',
    '2024-03-13 18:60:00',
    '2024-03-13 18:02:60',
    '13-03-2024 18:02:34',
    '2024-03-13',
    '2024/03/13 18:02:34',
    'yesterday',
    '1710352954',
  ])('%p is invalid', (value) => {
    expect(parseRedemptionTime(value)).toBe('invalid');
  });

  it('non-strings are invalid', () => {
    expect(parseRedemptionTime(n('1710352954'))).toBe('invalid');
    expect(parseRedemptionTime({})).toBe('invalid');
    expect(parseRedemptionTime(true)).toBe('invalid');
  });

  it('absent or empty is null (now)', () => {
    expect(parseRedemptionTime(undefined)).toBeNull();
    expect(parseRedemptionTime(null)).toBeNull();
    expect(parseRedemptionTime('')).toBeNull();
  });
});

describe('query helpers', () => {
  it('queryValue trims, takes the first of repeats and ignores non-strings', () => {
    expect(queryValue({ a: ' x ' }, 'a')).toBe('x');
    expect(queryValue({ a: ['1', '2'] }, 'a')).toBe('1');
    expect(queryValue({ a: { b: '1' } }, 'a')).toBeUndefined();
    expect(queryValue({}, 'a')).toBeUndefined();
  });

  it('parseBool', () => {
    expect(parseBool(true)).toBe(true);
    expect(parseBool(' YES ')).toBe(true);
    expect(parseBool(false)).toBe(false);
    expect(parseBool(undefined)).toBe(false);
    expect(parseBool(n('1'))).toBe(false);
  });
});
