import { LosslessNumber } from 'lossless-json';
import {
  decodeXmlBody,
  parseWireXml,
  renderWireXml,
  XML_MAX_DEPTH,
  XmlBodyError,
} from './wire-xml';
import { parseWireJson } from './wire-json';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

describe('parseWireXml', () => {
  it('reads a redeem body into the JSON shape, every leaf as text', () => {
    const doc = parseWireXml(
      '<?xml version="1.0"?><root><redeem><points_redeemed> 10.50 </points_redeemed>' +
        '<customer><mobile>919900000001</mobile><email/></customer>' +
        '<custom_fields><field><name>channel</name><value>POS</value></field></custom_fields>' +
        '</redeem></root>',
    );
    expect(doc).toEqual({
      root: {
        redeem: {
          points_redeemed: '10.50',
          customer: { mobile: '919900000001', email: '' },
          custom_fields: { field: { name: 'channel', value: 'POS' } },
        },
      },
    });
  });

  it('repeated elements become an array, in order', () => {
    const doc = parseWireXml('<root><redeem><n>1</n></redeem><redeem><n>2</n></redeem></root>');
    expect(doc).toEqual({ root: { redeem: [{ n: '1' }, { n: '2' }] } });
  });

  it('decodes the five predefined entities, character references and CDATA', () => {
    const doc = parseWireXml(
      '<r><a>&lt;&gt;&amp;&quot;&apos;</a><b>Zo&#235;&#x20AC;</b><c><![CDATA[x & <y>]]></c></r>',
    );
    expect(doc).toEqual({ r: { a: `<>&"'`, b: 'Zoë€', c: 'x & <y>' } });
  });

  it('ignores attributes, comments and processing instructions', () => {
    expect(parseWireXml('<r a="1"><!-- note --><?pi x?><v t="n">5</v></r>')).toEqual({
      r: { v: '5' },
    });
  });

  it.each([
    ['a DTD', '<!DOCTYPE r><r/>', /DTD/],
    ['an entity declaration', '<!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>', /DTD/],
    ['a lower-case doctype', '<!doctype r><r/>', /DTD/],
    ['an undefined entity', '<r>&nbsp;</r>', /undefined entity/],
    ['an inherited property as an entity', '<r>&constructor;</r>', /undefined entity/],
    ['__proto__ as an entity', '<r>&__proto__;</r>', /undefined entity/],
    ['text after the root element', '<r/>junk', /root/],
    ['a reference to a non-character', '<r>&#1;</r>', /not a character/],
    ['an unclosed element', '<r><a></r>', /Malformed XML/],
    ['two root elements', '<r>1</r><r>2</r>', /root/],
    ['text only', 'hello', /Malformed XML/],
    [
      'too deep',
      `${'<a>'.repeat(XML_MAX_DEPTH + 1)}x${'</a>'.repeat(XML_MAX_DEPTH + 1)}`,
      /deeper/,
    ],
  ])('refuses %s', (_label, text, message) => {
    expect(() => parseWireXml(text)).toThrow(XmlBodyError);
    expect(() => parseWireXml(text)).toThrow(message);
  });

  it('accepts nesting up to the limit', () => {
    const depth = XML_MAX_DEPTH;
    expect(() => parseWireXml(`${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}`)).not.toThrow();
  });
});

describe('decodeXmlBody', () => {
  const latin1 = Buffer.from('<r>Zo\u00eb \u0080</r>', 'latin1');

  it('is UTF-8 by default, and strict about it', () => {
    expect(decodeXmlBody(Buffer.from('<r>Zoë</r>'), undefined)).toBe('<r>Zoë</r>');
    expect(() => decodeXmlBody(latin1, undefined)).toThrow(/not valid UTF-8/);
  });

  it('drops a UTF-8 byte-order mark', () => {
    expect(decodeXmlBody(Buffer.from('\ufeff<r/>'), undefined)).toBe('<r/>');
  });

  it('reads ISO-8859-1 and windows-1252 as windows-1252 (0x80 is €)', () => {
    for (const charset of ['ISO-8859-1', 'latin1', 'windows-1252', 'cp1252']) {
      expect(decodeXmlBody(latin1, charset)).toBe('<r>Zoë €</r>');
    }
  });

  it('a UTF-8 byte-order mark wins over a charset that says otherwise', () => {
    expect(decodeXmlBody(Buffer.from('\ufeff<r>Zoë</r>'), 'iso-8859-1')).toBe('<r>Zoë</r>');
  });

  it('takes the declared encoding when the header names none; the header wins', () => {
    const declared = Buffer.from(
      '<?xml version="1.0" encoding="iso-8859-1"?><r>\u00eb</r>',
      'latin1',
    );
    expect(decodeXmlBody(declared, undefined)).toContain('<r>ë</r>');
    expect(() => decodeXmlBody(declared, 'utf-8')).toThrow(/not valid UTF-8/);
  });

  it('refuses encodings it does not read, as unsupported', () => {
    for (const [bytes, charset] of [
      [Buffer.from('\ufeff<r/>', 'utf16le'), undefined],
      [Buffer.from('<r/>'), 'shift_jis'],
      [Buffer.from('<?xml version="1.0" encoding="UTF-16"?><r/>'), undefined],
    ] as const) {
      let error: unknown;
      try {
        decodeXmlBody(bytes, charset);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(XmlBodyError);
      expect((error as XmlBodyError).unsupportedEncoding).toBe(true);
    }
  });
});

describe('renderWireXml', () => {
  it('writes the v1.1 envelope under <response>, arrays as repeated elements', () => {
    const body = parseWireJson(
      '{"response":{"status":{"success":"true","code":200},"responses":{"points":[{"balance":989.5,"side_effects":{"effect":[]}},{"balance":12345678901234.125}]}}}',
    );
    expect(renderWireXml(body)).toBe(
      `${DECLARATION}<response><status><success>true</success><code>200</code></status>` +
        '<responses><points><balance>989.5</balance><side_effects></side_effects></points>' +
        '<points><balance>12345678901234.125</balance></points></responses></response>',
    );
  });

  it('writes a v2 body (its top-level object) under <response>', () => {
    expect(renderWireXml({ errors: [{ code: 902, message: 'Redemption not found' }] })).toBe(
      `${DECLARATION}<response><errors><code>902</code><message>Redemption not found</message></errors></response>`,
    );
  });

  it('escapes text, writes exact numbers, dates as JSON would, null as empty', () => {
    const xml = renderWireXml({
      notes: 'a < b & "c"',
      points: new LosslessNumber('10.500'),
      at: new Date('2024-03-13T18:02:34.000Z'),
      gone: null,
      ok: true,
    });
    expect(xml).toContain('<notes>a &lt; b &amp; &quot;c&quot;</notes>');
    expect(xml).toContain('<points>10.500</points>');
    expect(xml).toContain('<at>2024-03-13T18:02:34.000Z</at>');
    expect(xml).toContain('<gone></gone>');
    expect(xml).toContain('<ok>true</ok>');
  });

  it('writes characters XML cannot carry as U+FFFD, so the answer stays well-formed', () => {
    const xml = renderWireXml({ bill: 'b\u0001\u001b\uFFFEx', ok: 'tab\there' });
    expect(xml).toContain('<bill>b\uFFFD\uFFFD\uFFFDx</bill>');
    expect(xml).toContain('<ok>tab\there</ok>');
    expect(() => parseWireXml(xml)).not.toThrow();
  });

  it('round-trips through the parser: what it writes, it reads back', () => {
    const xml = renderWireXml({ response: { a: 'Zoë & co', list: ['1', '2'] } });
    expect(parseWireXml(xml)).toEqual({ response: { a: 'Zoë & co', list: ['1', '2'] } });
  });
});
