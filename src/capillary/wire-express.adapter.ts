import { StreamableFile } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { Response } from 'express';
import { sendJson } from './send-json';
import { WireResponse } from './wire-response';

/**
 * Writes every controller result with exact decimals (see wire-json): a WireResponse as its
 * status, headers and body text; any other object through stringifyWireJson. Done where
 * Nest hands the result to Express, so a request goes through no interceptor chain.
 */
export class WireExpressAdapter extends ExpressAdapter {
  override reply(response: Response, body: unknown, statusCode?: number): unknown {
    if (body instanceof WireResponse) {
      response.status(body.httpStatus);
      for (const [name, value] of Object.entries(body.headers)) response.setHeader(name, value);
      return response.type('application/json').send(body.body);
    }
    if (
      body === undefined ||
      body === null ||
      typeof body !== 'object' ||
      body instanceof StreamableFile
    ) {
      return super.reply(response, body, statusCode);
    }
    sendJson(response, statusCode ?? response.statusCode, body);
    return response;
  }
}
