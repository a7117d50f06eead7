import { HttpStatus } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import getRawBody from 'raw-body';
import { ApiError } from './api-error';
import { parseWireJson } from './wire-json';

const JSON_TYPE = /^application\/([\w.+-]+\+)?json$/i;

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Parses request bodies with exact numbers. GET bodies (the seed's GET form of redeem) are
 * read whatever their Content-Type says; other methods must send JSON (415 otherwise).
 */
export function jsonBodyMiddleware(limit: string) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!hasBody(req)) {
      next();
      return;
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
    if (req.method !== 'GET' && req.method !== 'HEAD' && !JSON_TYPE.test(type)) {
      next(
        new ApiError(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          'Unsupported content type: send application/json',
        ),
      );
      return;
    }
    getRawBody(req, { limit, encoding: 'utf8' })
      .then((text) => {
        if (text.trim().length > 0) {
          try {
            (req as Request & { body: unknown }).body = parseWireJson(text);
          } catch (err) {
            throw ApiError.badRequest(
              `Malformed JSON: ${err instanceof Error ? err.message : 'cannot parse'}`,
            );
          }
        }
        next();
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError) return next(err);
        const type = (err as { type?: string }).type;
        if (type === 'entity.too.large') {
          return next(
            new ApiError(
              HttpStatus.PAYLOAD_TOO_LARGE,
              HttpStatus.PAYLOAD_TOO_LARGE,
              `Request body larger than ${limit}`,
            ),
          );
        }
        next(ApiError.badRequest('Request body could not be read'));
      });
  };
}
