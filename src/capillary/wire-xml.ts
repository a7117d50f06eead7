import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { decode as decodeBytes } from 'iconv-lite';
import { LosslessNumber, parse } from 'lossless-json';
import { isWireNumber } from './wire-json';

/**
 * XML on the wire (DESIGN.md §11), for the two client families that speak it. A request
 * body becomes the same JSON-shaped value a JSON body would (`<root><redeem>…` →
 * `{root:{redeem:…}}`, every leaf a string), so one set of field parsers serves both; a
 * reply is the JSON envelope written element for key under `<response>`.
 */

/** A body the XML rules refuse; the message is the client's (always a 4xx). */
export class XmlBodyError extends Error {
  constructor(
    message: string,
    readonly unsupportedEncoding = false,
  ) {
    super(message);
  }
}

/** Deeper than any real request (redeem is root/redeem/custom_fields/field/name: 5). */
export const XML_MAX_DEPTH = 16;

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const REFERENCE = /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[^\s&;]*);|&/g;

/** A character XML 1.0 allows (its `Char` production). */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/**
 * The parser's entity decoder: the five predefined entities and character references,
 * nothing else. A DTD never gets this far (refused before parsing); an undefined entity or
 * a bare `&` is malformed XML, not text to keep.
 */
const ENTITY_DECODER = {
  setExternalEntities(): void {},
  addInputEntities(): void {
    throw new XmlBodyError('Malformed XML: DTDs and entity declarations are not accepted');
  },
  reset(): void {},
  setXmlVersion(): void {},
  decode(text: string): string {
    if (!text.includes('&')) return text;
    return text.replace(REFERENCE, (whole: string, ref: string | undefined) => {
      if (ref === undefined) throw new XmlBodyError('Malformed XML: bare "&" (write &amp;)');
      if (ref.startsWith('#')) {
        const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        if (!isXmlChar(cp)) throw new XmlBodyError(`Malformed XML: ${whole} is not a character`);
        return String.fromCodePoint(cp);
      }
      if (!Object.hasOwn(PREDEFINED, ref))
        throw new XmlBodyError(`Malformed XML: undefined entity ${whole}`);
      return PREDEFINED[ref];
    });
  },
};

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  entityDecoder: ENTITY_DECODER,
  // The parser refuses depth beyond maxNestedTags + 1 (its root is not counted).
  maxNestedTags: XML_MAX_DEPTH - 1,
});

const DOCTYPE = /<!DOCTYPE|<!ENTITY/i;

/**
 * Parses an XML document into `{ rootName: content }`. Refuses what a hardened reader must:
 * any DTD (so no entity can be declared: no billion laughs, no external entity, nothing
 * read from disk or network), undefined entities, nesting past XML_MAX_DEPTH, more than one
 * root element, anything not well-formed. Size is bounded before this, by the body limit.
 */
export function parseWireXml(text: string): Record<string, unknown> {
  if (DOCTYPE.test(text)) {
    throw new XmlBodyError('Malformed XML: DTDs and entity declarations are not accepted');
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new XmlBodyError(
      `Malformed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`,
    );
  }
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch (err) {
    if (err instanceof XmlBodyError) throw err;
    const message = err instanceof Error ? err.message : 'cannot parse';
    throw new XmlBodyError(
      /nested/i.test(message)
        ? `Malformed XML: nested deeper than ${XML_MAX_DEPTH} elements`
        : `Malformed XML: ${message}`,
    );
  }
  const roots = typeof doc === 'object' && doc !== null ? Object.values(doc) : [];
  // Text after the root element is not XML (comments and instructions end with '>').
  if (roots.length !== 1 || Array.isArray(roots[0]) || !text.trimEnd().endsWith('>')) {
    throw new XmlBodyError('Malformed XML: a document has exactly one root element');
  }
  return doc as Record<string, unknown>;
}

/** The encodings the XML clients send; anything else is refused rather than guessed. */
const DECODERS: Record<string, string> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
  // What ISO-8859-1 means on the web and in Windows clients: windows-1252 (a superset).
  'iso-8859-1': 'windows-1252',
  'iso_8859-1': 'windows-1252',
  latin1: 'windows-1252',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
};

const DECLARED_ENCODING = /^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/;

/**
 * An XML body's bytes as text: the Content-Type charset when given, else the XML
 * declaration's encoding, else UTF-8 (a UTF-8 byte-order mark is dropped). Bytes that are
 * not valid in that encoding are refused, never replaced.
 */
export function decodeXmlBody(bytes: Buffer, headerCharset: string | undefined): string {
  let body = bytes;
  // A byte-order mark says what the bytes are, whatever a header or declaration claims.
  const utf8Bom = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
  if (utf8Bom) body = body.subarray(3);
  else if ((body[0] === 0xfe && body[1] === 0xff) || (body[0] === 0xff && body[1] === 0xfe)) {
    throw new XmlBodyError('Unsupported XML encoding UTF-16: send UTF-8 or ISO-8859-1', true);
  }
  const declared = DECLARED_ENCODING.exec(body.subarray(0, 200).toString('latin1'))?.[1];
  const name = utf8Bom ? 'utf-8' : (headerCharset ?? declared ?? 'utf-8').toLowerCase();
  const encoding = DECODERS[name];
  if (!encoding) {
    throw new XmlBodyError(
      `Unsupported XML encoding ${name}: send UTF-8, ISO-8859-1 or windows-1252`,
      true,
    );
  }
  // Every byte is a windows-1252 character (iconv-lite: Node's own decoder reads 0x80–0x9F
  // as ISO-8859-1 controls); UTF-8 is checked strictly.
  if (encoding === 'windows-1252') return decodeBytes(body, 'windows-1252');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new XmlBodyError(`Malformed XML: the body is not valid ${name.toUpperCase()}`);
  }
}

const builder = new XMLBuilder({ ignoreAttributes: true, format: false, processEntities: true });

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

// Characters XML 1.0 cannot carry at all (not even as references): C0 controls but tab, LF
// and CR, lone surrogates, U+FFFE and U+FFFF.
const NOT_XML_CHAR =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as XML can carry it: a character it cannot is written as U+FFFD. */
const xmlText = (text: string): string => text.replace(NOT_XML_CHAR, '\uFFFD');

/** A wire value (exact numbers as LosslessNumber) as the builder's tree of strings. */
function toXmlTree(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return xmlText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isWireNumber(value)) {
    // A LosslessNumber is its literal; anything else with the marker is raw JSON text.
    return value instanceof LosslessNumber ? value.toString() : toXmlTree(parse(String(value)));
  }
  if (Array.isArray(value)) return value.map(toXmlTree);
  // What JSON would write for it (a Date is its ISO time).
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return toXmlTree((value as { toJSON(): unknown }).toJSON());
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[xmlText(key)] = toXmlTree(v);
    return out;
  }
  return ''; // functions and symbols: JSON would leave them out
}

/**
 * A reply body as XML: root `<response>` holding the v1.1 envelope's `response` object, or
 * a v2 body's top-level object; an array is its key's element repeated; numbers as the
 * exact literals JSON would carry.
 */
export function renderWireXml(body: unknown): string {
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  const keys = isObject ? Object.keys(body) : [];
  const content =
    keys.length === 1 && keys[0] === 'response' ? (body as { response: unknown }).response : body;
  return DECLARATION + builder.build({ response: toXmlTree(content) });
}
