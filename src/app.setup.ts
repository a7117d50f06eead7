import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { METHODS } from 'node:http';
import { NextFunction, Request, Response } from 'express';
import { AllowedMethods, CapillaryExceptionFilter } from './capillary/exception.filter';
import { wireBodyMiddleware } from './capillary/wire-body.middleware';
import { Metrics } from './metrics/metrics';
import { consoleDir, pageHeaders, serveConsole } from './console-assets';

export const REQUEST_ID_HEADER = 'X-Cap-Requestid';

/**
 * Swagger UI's page: its scripts and stylesheet are files served under /docs (none inline),
 * its template has <style> blocks and style attributes, its icons are data: images, and
 * "Try it out" calls this origin only.
 */
export const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * Each answered request's duration, labelled by the route template Express matched (never
 * the raw URL, which holds identifiers) or `unmatched`.
 */
function requestDurations(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      metrics.httpDuration.observe(
        {
          method: req.method,
          route: typeof route === 'string' ? `${req.baseUrl}${route}` : 'unmatched',
          status: res.statusCode,
        },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  };
}

interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): boolean;
}

/** The methods Express has routes for at this path (for 405 answers). */
function allowedMethodsOf(app: INestApplication): AllowedMethods {
  return (path: string) => {
    const express = app.getHttpAdapter().getInstance() as { router?: { stack: RouteLayer[] } };
    const methods = new Set<string>();
    for (const layer of express.router?.stack ?? []) {
      if (!layer.route) continue;
      try {
        if (!layer.match(path)) continue;
      } catch {
        continue;
      }
      const verbs = Object.keys(layer.route.methods).filter((m) => m !== '_all');
      // Middleware mounted on every path (app.all) marks every method: not a real route.
      if (layer.route.methods._all || verbs.length >= METHODS.length) continue;
      for (const m of verbs) methods.add(m.toUpperCase());
    }
    return [...methods].sort();
  };
}

/**
 * Everything about the HTTP surface that must be identical in production and in tests:
 * request ids, path clean-up, exact-number JSON bodies, the error envelope, OpenAPI.
 */
export function configureApp(app: INestApplication, bodyLimit: string): void {
  app.use((req: Request & { id?: string }, res: Response, next: NextFunction) => {
    req.id = randomUUID();
    res.setHeader(REQUEST_ID_HEADER, req.id);
    // Every answer (API, admin, console, docs, health, metrics, errors, 404s) is read as the
    // type it says it is, never as HTML a browser guessed from its bytes: JSON or text that
    // echoes a client's input must not become a page on this origin.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Real clients build URLs such as //v1.1/points/redeem; route them all the same.
    const q = req.url.indexOf('?');
    const path = q === -1 ? req.url : req.url.slice(0, q);
    if (path.includes('//'))
      req.url = path.replace(/\/{2,}/g, '/') + (q === -1 ? '' : req.url.slice(q));
    next();
  });
  const metrics = app.get(Metrics);
  if (metrics.enabled) app.use(requestDurations(metrics));
  app.use('/console', serveConsole(consoleDir()));
  app.use(wireBodyMiddleware(bodyLimit));
  app.useGlobalFilters(new CapillaryExceptionFilter(allowedMethodsOf(app)));

  const openApi = new DocumentBuilder()
    .setTitle('Points redemption service')
    .setDescription(
      'Capillary-compatible v1.1 points redemption API (redeem, isredeemable, validation codes, reversal) and the admin API.',
    )
    .setVersion('1.1')
    .addBasicAuth(
      { type: 'http', scheme: 'basic', description: 'till username : md5(password)' },
      'basic',
    )
    .addSecurityRequirements('basic')
    .build();
  // Swagger UI shares the origin with /admin and /console, so it gets their protections.
  app.use(['/docs', '/docs-yaml'], pageHeaders(DOCS_CSP));
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), {
    jsonDocumentUrl: 'docs/openapi.json',
    // The UI would otherwise fetch a badge from validator.swagger.io, naming this document's
    // URL to a third party (and the CSP would block it anyway).
    swaggerOptions: { validatorUrl: null },
  });
}
