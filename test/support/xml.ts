import { DOMParser } from '@xmldom/xmldom';
import request from 'supertest';
import * as xpath from 'xpath';
import { TestApp } from './test-app';

/** An answer read as a client reads it: status, headers and the body's text. */
export interface XmlAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** Sends `req` and keeps the body as text whatever its type (superagent skips XML). */
export async function asText(req: request.Test): Promise<XmlAnswer> {
  const res = await req.buffer(true).parse((stream, done) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
  });
  return { status: res.status, headers: res.headers, text: res.body };
}

function documentOf(text: string) {
  const errors: string[] = [];
  const doc = new DOMParser({
    onError: (level: string, message: string) => {
      if (level !== 'warning') errors.push(message);
    },
  }).parseFromString(text, 'text/xml');
  if (errors.length > 0) throw new Error(`not well-formed XML (${errors.join('; ')}): ${text}`);
  return doc;
}

/** The text of every node an XPath selects, as a real XML client would read it. */
export function xpathAll(text: string, expression: string): string[] {
  const nodes = xpath.select(expression, documentOf(text) as unknown as Node) as Node[];
  return nodes.map((n) => n.textContent ?? '');
}

/** The text of the one node an XPath selects (fails when it selects none). */
export function xpathOne(text: string, expression: string): string {
  const all = xpathAll(text, expression);
  if (all.length === 0) throw new Error(`XPath ${expression} selects nothing in: ${text}`);
  return all[0];
}

/** Asserts an answer is an XML document as DESIGN.md §11 writes them. */
export function expectXml(res: XmlAnswer, httpStatus: number): void {
  if (res.status !== httpStatus) {
    throw new Error(`expected HTTP ${httpStatus}, got ${res.status}: ${res.text}`);
  }
  expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
  expect(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?><response>')).toBe(true);
  documentOf(res.text);
}

/** `<root><redeem>…</redeem>…</root>` from items whose values are text or nested objects. */
export function redeemXml(items: Record<string, unknown>[], declaration = ''): string {
  const element = (name: string, value: unknown): string =>
    typeof value === 'object' && value !== null
      ? `<${name}>${Object.entries(value)
          .map(([k, v]) =>
            Array.isArray(v) ? v.map((x) => element(k, x)).join('') : element(k, v),
          )
          .join('')}</${name}>`
      : `<${name}>${String(value)}</${name}>`;
  return `${declaration}<root>${items.map((i) => element('redeem', i)).join('')}</root>`;
}

/** A request to the app (the helpers of each client build on it). */
export const http = (t: TestApp) => request(t.url);
