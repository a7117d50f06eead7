import { LosslessNumber } from 'lossless-json';
import {
  identifierFromTypeValue,
  IDENTIFIER_TYPES,
  pickIdentifier,
  scalarText,
} from './identifier';

const all: Record<string, string> = {
  id: '42',
  mobile: '919900000001',
  email: 'a@example.com',
  external_id: 'ext-1',
  card_number: 'CARD-1',
  card_external_id: 'CEXT-1',
};

describe('pickIdentifier', () => {
  it('uses the order id > mobile > email > external_id > card_number > card_external_id', () => {
    expect(IDENTIFIER_TYPES).toEqual([
      'id',
      'mobile',
      'email',
      'external_id',
      'card_number',
      'card_external_id',
    ]);
    const source: Record<string, string> = { ...all };
    for (const type of IDENTIFIER_TYPES) {
      expect(pickIdentifier(source)).toEqual({ type, value: all[type] });
      delete source[type];
    }
    expect(pickIdentifier(source)).toBe('missing');
  });

  it('the key order in the object does not matter', () => {
    expect(pickIdentifier({ external_id: 'ext-1', mobile: '919900000001' })).toEqual({
      type: 'mobile',
      value: '919900000001',
    });
  });

  it('empty and blank strings are absent', () => {
    expect(pickIdentifier({ id: '', mobile: '  ', email: 'a@example.com' })).toEqual({
      type: 'email',
      value: 'a@example.com',
    });
    expect(pickIdentifier({ id: '', mobile: '', email: '' })).toBe('missing');
  });

  it('null is absent too', () => {
    expect(pickIdentifier({ id: null, mobile: '919900000001' })).toEqual({
      type: 'mobile',
      value: '919900000001',
    });
  });

  it('values are trimmed', () => {
    expect(pickIdentifier({ mobile: ' 919900000001 ' })).toEqual({
      type: 'mobile',
      value: '919900000001',
    });
  });

  it('numbers keep the literal the client sent', () => {
    expect(pickIdentifier({ mobile: new LosslessNumber('919900000001') })).toEqual({
      type: 'mobile',
      value: '919900000001',
    });
    expect(pickIdentifier({ id: new LosslessNumber('42') })).toEqual({ type: 'id', value: '42' });
    expect(pickIdentifier({ id: 42 })).toEqual({ type: 'id', value: '42' });
  });

  it.each([undefined, null, {}, [], 'x'])('nothing usable in %p is missing', (source) => {
    expect(pickIdentifier(source as Record<string, unknown>)).toBe('missing');
  });

  it.each(['0', '-1', 'abc', '1.5', '1e3', '9007199254740992', '99999999999999999', '4 2'])(
    'id %p is malformed (must be a positive integer)',
    (id) => {
      expect(pickIdentifier({ id, mobile: '919900000001' })).toBe('malformed');
    },
  );

  it('ids are bigint: past int4 is fine, up to the largest a number holds exactly', () => {
    expect(pickIdentifier({ id: '2147483648' })).toEqual({ type: 'id', value: '2147483648' });
    expect(pickIdentifier({ id: '9007199254740991' })).toEqual({
      type: 'id',
      value: '9007199254740991',
    });
  });

  it.each([
    ['a newline', '9199\n0001'],
    ['a NUL', '9199\u00000001'],
    ['a tab', '9199\t0001'],
    ['DEL', '9199\u007f0001'],
    ['an escape', '9199\u001b0001'],
  ])('a value containing %s is malformed', (_label, mobile) => {
    expect(pickIdentifier({ mobile })).toBe('malformed');
  });

  it('a value longer than 200 characters is malformed', () => {
    expect(pickIdentifier({ email: `${'a'.repeat(195)}@x.com` })).toBe('malformed');
    expect(pickIdentifier({ email: `${'a'.repeat(194)}@x.com` })).toEqual({
      type: 'email',
      value: `${'a'.repeat(194)}@x.com`,
    });
  });

  it.each([
    ['an object', {}],
    ['an array', ['919900000001']],
    ['a boolean', true],
  ])('an identifier that is %s is malformed', (_label, mobile) => {
    expect(pickIdentifier({ mobile })).toBe('malformed');
  });
});

describe('identifierFromTypeValue', () => {
  it.each([
    ['id', '7', 'id'],
    ['user_id', '7', 'id'],
    ['mobile', '919900000001', 'mobile'],
    ['MOBILE', '919900000001', 'mobile'],
    ['email', 'a@example.com', 'email'],
    ['external_id', 'ext-1', 'external_id'],
    ['externalId', 'ext-1', 'external_id'],
    ['cardnumber', 'CARD-1', 'card_number'],
    ['cardNumber', 'CARD-1', 'card_number'],
    ['card_number', 'CARD-1', 'card_number'],
    ['cardExternalId', 'CEXT-1', 'card_external_id'],
    ['card_external_id', 'CEXT-1', 'card_external_id'],
    [' mobile ', '919900000001', 'mobile'],
  ])('type %p maps to %p', (type, value, expected) => {
    expect(identifierFromTypeValue(type, value)).toEqual({ type: expected, value });
  });

  it('accepts numbers for the value', () => {
    expect(identifierFromTypeValue('mobile', new LosslessNumber('919900000001'))).toEqual({
      type: 'mobile',
      value: '919900000001',
    });
  });

  it.each([
    ['an unknown type', 'phone', '919900000001'],
    ['a non-string type', 5, '919900000001'],
    ['an empty value', 'mobile', ''],
    ['a missing value', 'mobile', undefined],
    ['a bad id', 'id', 'abc'],
    ['a control character', 'mobile', '91\n99'],
  ])('%s gives null', (_label, type, value) => {
    expect(identifierFromTypeValue(type, value)).toBeNull();
  });
});

describe('scalarText', () => {
  it('strings, wire numbers and finite numbers only', () => {
    expect(scalarText(' a ')).toBe('a');
    expect(scalarText(new LosslessNumber('10.50'))).toBe('10.50');
    expect(scalarText(3)).toBe('3');
    expect(scalarText(Number.NaN)).toBeUndefined();
    expect(scalarText(true)).toBeUndefined();
    expect(scalarText({})).toBeUndefined();
    expect(scalarText(null)).toBeUndefined();
  });
});
