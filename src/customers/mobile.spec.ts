import { normalizeIdentifier, normalizeMobile } from './mobile';

const INDIA = { default_country_code: '91', national_number_length: 10 };

describe('normalizeMobile', () => {
  it.each([
    '919900000001',
    '+919900000001',
    ' 919900000001', // a raw + in a query string arrives as a space
    '+91 99000 00001',
    '91-9900-000001',
    '(91) 9900000001',
    '00919900000001',
    '9900000001',
    '99000-00001',
  ])('%s → 919900000001', (raw) => {
    expect(normalizeMobile(raw, INDIA)).toBe('919900000001');
  });

  it('leaves other lengths with their digits only; no digits is empty', () => {
    expect(normalizeMobile('+44 20 7946 0958', INDIA)).toBe('442079460958');
    expect(normalizeMobile('12345', INDIA)).toBe('12345');
    expect(normalizeMobile('abc', INDIA)).toBe('');
  });

  it("uses the org's own rules", () => {
    expect(
      normalizeMobile('0612345678', { default_country_code: '31', national_number_length: 10 }),
    ).toBe('310612345678');
    expect(
      normalizeMobile('612345678', { default_country_code: '31', national_number_length: 9 }),
    ).toBe('31612345678');
  });

  it('normalizeIdentifier touches mobiles only', () => {
    expect(normalizeIdentifier({ type: 'mobile', value: '+91 99000 00001' }, INDIA)).toEqual({
      type: 'mobile',
      value: '919900000001',
    });
    expect(normalizeIdentifier({ type: 'email', value: ' A@B.example' }, INDIA)).toEqual({
      type: 'email',
      value: ' A@B.example',
    });
  });
});
