import { applyDecorators } from '@nestjs/common';
import { ApiConsumes, ApiProduces, ApiQuery } from '@nestjs/swagger';
import { Request } from 'express';
import { firstValue } from './query';

/** What a reply is written in. */
export type WireFormat = 'json' | 'xml';

const TILL_PATH = /^\/v(?:1\.1|2)\//i; // Express routes paths in any case

/** The till API (v1.1 and v2): the paths that speak XML as well as JSON. */
export function isTillPath(path: string): boolean {
  return TILL_PATH.test(path);
}

const XML_TYPES = new Set(['application/xml', 'text/xml']);

/** The highest quality `Accept` gives any of `types` (0 when it names none of them). */
function acceptQuality(accept: string, types: Set<string>): { q: number; at: number } {
  let best = { q: 0, at: Infinity };
  accept.split(',').forEach((part, at) => {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!types.has(type)) return;
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (Number.isFinite(q) && q > best.q) best = { q, at };
  });
  return best;
}

// JSON is the default, so a wildcard asks for JSON as much as application/json does.
const JSON_TYPES = new Set(['application/json', 'application/*', '*/*']);

/**
 * The format a till asked for (DESIGN.md §11): `format=xml|json` always wins; without it,
 * XML when `Accept` prefers application/xml or text/xml to application/json. Everything
 * outside the till API (admin, health, metrics) is JSON.
 */
export function replyFormat(req: Request): WireFormat {
  if (!isTillPath(req.path)) return 'json';
  const format = firstValue((req.query as Record<string, unknown> | undefined)?.format);
  if (format) return format.toLowerCase() === 'xml' ? 'xml' : 'json';
  const accept = req.headers.accept;
  if (!accept) return 'json';
  const xml = acceptQuality(accept, XML_TYPES);
  if (xml.q === 0) return 'json';
  const json = acceptQuality(accept, JSON_TYPES);
  return xml.q > json.q || (xml.q === json.q && xml.at < json.at) ? 'xml' : 'json';
}

/**
 * OpenAPI for a till endpoint's two formats: the `format` parameter replyFormat reads and
 * both answer types; with `body`, both request body types too.
 */
export function ApiWireFormat(body = false): MethodDecorator {
  return applyDecorators(
    ApiQuery({
      name: 'format',
      required: false,
      schema: {
        type: 'string',
        enum: ['json', 'xml'],
        description:
          'answer format; absent: XML when Accept prefers application/xml or text/xml, else JSON',
      },
    }),
    ApiProduces('application/json', 'application/xml'),
    ...(body ? [ApiConsumes('application/json', 'application/xml', 'text/xml')] : []),
  );
}
