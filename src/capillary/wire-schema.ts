import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/**
 * One field of a v1.1/v2 request as the edge reads it: how it is parsed (tolerantly, as real
 * clients send it) and how it is documented. An endpoint's parser walks its fields, and its
 * OpenAPI document is made from the same fields, so /docs cannot drift from the parser.
 */
export interface WireField<T> {
  doc: SchemaObject;
  required: boolean;
  parse(raw: unknown): T;
}

export type WireFields = Record<string, WireField<unknown>>;

export type Parsed<F extends WireFields> = {
  [K in keyof F]: F[K] extends WireField<infer T> ? T : never;
};

export function field<T>(
  doc: SchemaObject,
  parse: (raw: unknown) => T,
  required = false,
): WireField<T> {
  return { doc, parse, required };
}

/** Every field of `fields` read from `raw` (absent ones get their parser's default). */
export function parseFields<F extends WireFields>(
  fields: F,
  raw: Record<string, unknown>,
): Parsed<F> {
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(fields)) out[name] = f.parse(raw[name]);
  return out as Parsed<F>;
}

/** The OpenAPI schema of an object made of `fields`; unknown fields are ignored, not refused. */
export function objectSchema(fields: WireFields, description?: string): SchemaObject {
  const required = Object.entries(fields)
    .filter(([, f]) => f.required)
    .map(([name]) => name);
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties: Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, f.doc])),
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: true,
  };
}

/** The query parameters an endpoint's parser reads, as OpenAPI parameters. */
export function ApiQueryFields(fields: WireFields): MethodDecorator {
  return applyDecorators(
    ...Object.entries(fields).map(([name, f]) =>
      ApiQuery({ name, required: f.required, schema: f.doc }),
    ),
  );
}

/** The body an endpoint's parser reads, as its OpenAPI request body. */
export const ApiBodyFields = (schema: SchemaObject): MethodDecorator => ApiBody({ schema });
