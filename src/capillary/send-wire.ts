import { Request, Response } from 'express';
import { parseWireJson, stringifyWireJson } from './wire-json';
import { replyFormat } from './wire-format';
import { renderWireXml } from './wire-xml';

const XML_CONTENT_TYPE = 'application/xml; charset=utf-8';

/** Writes a reply body in the format its request asked for, with exact decimals either way. */
export function sendWire(res: Response, httpStatus: number, body: unknown): void {
  write(
    res,
    httpStatus,
    () => body,
    () => stringifyWireJson(body),
  );
}

/**
 * Writes a reply already finished as JSON text (a WireResponse, possibly a byte-for-byte
 * replay): as it is, or read back with exact numbers and written as XML.
 */
export function sendWireText(res: Response, httpStatus: number, jsonText: string): void {
  write(
    res,
    httpStatus,
    () => parseWireJson(jsonText),
    () => jsonText,
  );
}

/** XML from the body's value, or the JSON text: only the format asked for is made. */
function write(res: Response, httpStatus: number, value: () => unknown, json: () => string) {
  res.status(httpStatus);
  if (replyFormat(res.req as Request) === 'xml') {
    res.setHeader('Content-Type', XML_CONTENT_TYPE).send(renderWireXml(value()));
  } else {
    res.type('application/json').send(json());
  }
}
