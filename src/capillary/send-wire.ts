import { Request, Response } from 'express';
import { parseWireJson, stringifyWireJson } from './wire-json';
import { replyFormat } from './wire-format';
import { renderWireXml } from './wire-xml';

const XML_CONTENT_TYPE = 'application/xml; charset=utf-8';

/** Writes a reply body in the format its request asked for, with exact decimals either way. */
export function sendWire(res: Response, httpStatus: number, body: unknown): void {
  res.status(httpStatus);
  if (replyFormat(res.req as Request) === 'xml') {
    res.setHeader('Content-Type', XML_CONTENT_TYPE).send(renderWireXml(body));
  } else {
    res.type('application/json').send(stringifyWireJson(body));
  }
}

/**
 * Writes a reply already finished as JSON text (a WireResponse, possibly a byte-for-byte
 * replay): as it is, or read back with exact numbers and written as XML.
 */
export function sendWireText(res: Response, httpStatus: number, jsonText: string): void {
  res.status(httpStatus);
  if (replyFormat(res.req as Request) === 'xml') {
    res.setHeader('Content-Type', XML_CONTENT_TYPE).send(renderWireXml(parseWireJson(jsonText)));
  } else {
    res.type('application/json').send(jsonText);
  }
}
