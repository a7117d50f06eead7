import { Response } from 'express';
import { stringifyWireJson } from './wire-json';

/** Writes a body with exact decimals (see wire-json) as application/json. */
export function sendJson(res: Response, httpStatus: number, body: unknown): void {
  res.status(httpStatus).type('application/json').send(stringifyWireJson(body));
}
