import { StreamableFile } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { Response } from 'express';
import { sendWire, sendWireText } from './send-wire';
import { WireResponse } from './wire-response';

/**
 * Writes every controller result with exact decimals (see wire-json), in the format the
 * request asked for (wire-format: JSON, or XML on the till API): a WireResponse as its
 * status, headers and body; any other object as its wire form. Done where Nest hands the
 * result to Express, so a request goes through no interceptor chain.
 */
export class WireExpressAdapter extends ExpressAdapter {
  override reply(response: Response, body: unknown, statusCode?: number): unknown {
    if (body instanceof WireResponse) {
      for (const [name, value] of Object.entries(body.headers)) response.setHeader(name, value);
      sendWireText(response, body.httpStatus, body.body);
      return response;
    }
    if (
      body === undefined ||
      body === null ||
      typeof body !== 'object' ||
      body instanceof StreamableFile
    ) {
      return super.reply(response, body, statusCode);
    }
    sendWire(response, statusCode ?? response.statusCode, body);
    return response;
  }
}
