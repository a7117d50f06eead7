import { parseBasicAuthorization } from './basic-credentials';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('parseBasicAuthorization', () => {
  it('reads username and secret, scheme in any case', () => {
    for (const scheme of ['Basic', 'basic', 'BASIC', 'bAsIc']) {
      expect(parseBasicAuthorization(`${scheme} ${b64('demo.till:demo.pass')}`)).toEqual({
        username: 'demo.till',
        secret: 'demo.pass',
      });
    }
  });

  it('splits at the first colon: a password may hold colons', () => {
    expect(parseBasicAuthorization(`Basic ${b64('till:pa:ss:')}`)).toEqual({
      username: 'till',
      secret: 'pa:ss:',
    });
  });

  it('absent: no header, or an empty one', () => {
    expect(parseBasicAuthorization(undefined)).toBe('absent');
    expect(parseBasicAuthorization('   ')).toBe('absent');
  });

  it.each([
    ['another scheme containing Basic', `XBasic ${b64('a:b')}`],
    ['Basic glued to more letters', `BasicX ${b64('a:b')}`],
    ['a bearer token', 'Bearer abc'],
    ['no scheme', b64('a:b')],
    ['no credentials', 'Basic'],
    ['not base64', 'Basic a:b'],
    ['two tokens', `Basic ${b64('a:b')} ${b64('c:d')}`],
    ['no colon', `Basic ${b64('ab')}`],
    ['empty username', `Basic ${b64(':secret')}`],
    ['empty secret', `Basic ${b64('user:')}`],
    ['a NUL in the username', `Basic ${b64('us\u0000er:secret')}`],
  ])('malformed: %s', (_label, header) => {
    expect(parseBasicAuthorization(header)).toBe('malformed');
  });
});
