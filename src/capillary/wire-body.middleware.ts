import { HttpStatus } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import getRawBody from 'raw-body';
import { ApiError } from './api-error';
import { isTillPath, WireFormat } from './wire-format';
import { parseWireJson } from './wire-json';
import { decodeXmlBody, parseWireXml, XmlBodyError } from './wire-xml';

const JSON_TYPE = /^application\/([\w.+-]+\+)?json$/i;
const XML_TYPE = /^(application|text)\/([\w.+-]+\+)?xml$/i;
const LT = 0x3c;

const BODY_FORMAT = Symbol('wireBodyFormat');

/** Whether the request's body was read as JSON or XML (JSON when it had none). */
export function bodyFormatOf(req: Request): WireFormat {
  return (req as Request & { [BODY_FORMAT]?: WireFormat })[BODY_FORMAT] ?? 'json';
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The first byte that is not whitespace (after a UTF-8 byte-order mark). */
function startsWithTag(bytes: Buffer): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || (bytes[i] >= 0x09 && bytes[i] <= 0x0d))) i++;
  return bytes[i] === LT;
}

function charsetOf(contentType: string | undefined): string | undefined {
  return /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];
}

function unsupportedType(): ApiError {
  return new ApiError(
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    'Unsupported content type: send application/json (or XML on the till API)',
  );
}

/**
 * Reads request bodies: JSON with exact numbers, and on the till API also XML (DESIGN.md
 * §11) — when the Content-Type says XML or the body starts with `<` — into the same
 * JSON-shaped value. GET bodies (the seed's GET form of redeem) are read whatever their
 * Content-Type says; other methods must declare JSON (or XML on the till API): 415.
 */
export function wireBodyMiddleware(limit: string) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!hasBody(req)) {
      next();
      return;
    }
    const contentType = req.headers['content-type'];
    const type = (contentType ?? '').split(';')[0].trim();
    const xmlAllowed = isTillPath(req.path);
    const declaredXml = XML_TYPE.test(type) && req.method !== 'GET';
    const readable = req.method === 'GET' || req.method === 'HEAD' || JSON_TYPE.test(type);
    if (!readable && !(declaredXml && xmlAllowed)) {
      next(unsupportedType());
      return;
    }
    getRawBody(req, { limit })
      .then((bytes) => {
        const body = req as Request & { body: unknown; [BODY_FORMAT]?: WireFormat };
        if (xmlAllowed && (declaredXml || startsWithTag(bytes))) {
          body[BODY_FORMAT] = 'xml';
          body.body = parseWireXml(decodeXmlBody(bytes, charsetOf(contentType)));
          return next();
        }
        const text = bytes.toString('utf8');
        if (text.trim().length > 0) {
          try {
            body.body = parseWireJson(text);
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
        if (err instanceof XmlBodyError) {
          return next(
            err.unsupportedEncoding
              ? new ApiError(
                  HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                  HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                  err.message,
                )
              : ApiError.badRequest(err.message),
          );
        }
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
