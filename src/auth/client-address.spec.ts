import { budgetAddress } from './client-address';

describe('budgetAddress', () => {
  it('keeps IPv4 and unwraps IPv4-mapped IPv6', () => {
    expect(budgetAddress('10.1.2.3')).toBe('10.1.2.3');
    expect(budgetAddress('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(budgetAddress('::FFFF:127.0.0.1')).toBe('127.0.0.1');
  });

  it('counts IPv6 by its /64, however it is written', () => {
    const a = budgetAddress('2001:db8:1:2:aaaa:bbbb:cccc:dddd');
    expect(a).toBe('2001:db8:1:2::/64');
    expect(budgetAddress('2001:0db8:0001:0002::1')).toBe(a);
    expect(budgetAddress('2001:DB8:1:2::ffff')).toBe(a);
    expect(budgetAddress('2001:db8:1:3::1')).not.toBe(a);
    expect(budgetAddress('::1')).toBe('0:0:0:0::/64');
    expect(budgetAddress('fe80::1')).toBe('fe80:0:0:0::/64');
  });

  it('leaves what is not an address as it is', () => {
    expect(budgetAddress('unknown')).toBe('unknown');
  });
});
