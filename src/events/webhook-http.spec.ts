import { isNonPublicAddress, parseWebhookUrl, WebhookUrlError } from './webhook-http';

describe('where a webhook may go', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '0.0.0.0',
    '100.64.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'ff02::1',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '192.169.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
  ])('takes %s', (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
  });

  it('takes http and https URLs only, without credentials', () => {
    expect(parseWebhookUrl('https://example.com/hooks').hostname).toBe('example.com');
    for (const bad of [
      'ftp://example.com/',
      'file:///etc/passwd',
      'https://u:p@example.com/',
      'nope',
    ])
      expect(() => parseWebhookUrl(bad)).toThrow(WebhookUrlError);
  });
});
