import { maskDatabaseUrl, maskRecipient, maskUrl } from './redact';

describe('redact', () => {
  it('keeps only the last four characters of a recipient', () => {
    expect(maskRecipient('919900000001')).toBe('********0001');
    expect(maskRecipient('abc')).toBe('****');
  });

  it('masks identifier and code parameters of a URL, and nothing else', () => {
    expect(maskUrl('/v1.1/customer/get?mobile=919900000001&format=json')).toBe(
      '/v1.1/customer/get?mobile=********0001&format=json',
    );
    expect(
      maskUrl('/v1.1/points/isredeemable?points=10&validation_code=AB12CD&email=a%40b.example'),
    ).toBe('/v1.1/points/isredeemable?points=10&validation_code=******&email=*******mple');
    expect(maskUrl('/health')).toBe('/health');
    // The console's search term is an identifier too.
    expect(maskUrl('/admin/customers?q=%2B91%2099000%2000001')).toBe(
      `/admin/customers?q=${maskRecipient('+91 99000 00001')}`,
    );
    // Percent-encoded names are the same parameters to the server: masked alike.
    expect(maskUrl('/x?%6Dobile=919900000001&validation%5Fcode=AB12CD&Mobile=919900000002')).toBe(
      '/x?%6Dobile=********0001&validation%5Fcode=******&Mobile=********0002',
    );
    // Not valid percent-encoding: masked as it came.
    expect(maskUrl('/x?mobile=%E0%A4%A')).toBe(`/x?mobile=${maskRecipient('%E0%A4%A')}`);
  });

  it('masks the password of a database URL and keeps where it points', () => {
    expect(maskDatabaseUrl('postgres://app:s3cr%40t@db.internal:5432/points')).toBe(
      'postgres://app:***@db.internal:5432/points',
    );
    expect(maskDatabaseUrl('postgres://app@db/points')).toBe('postgres://app@db/points');
    // Not a URL the parser takes: the password is masked all the same.
    expect(maskDatabaseUrl('postgres://app:pw@[bad/points')).toBe('postgres://app:***@[bad/points');
  });
});
