import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { NextFunction, Request, Response } from 'express';

/**
 * Where `npm run build` puts the operator console: dist/console, beside the compiled
 * service (dist/src) — or, when the service runs from its sources (the tests), in dist/
 * of the checkout.
 */
export function consoleDir(): string | undefined {
  const candidates = [join(__dirname, '..', 'console'), join(__dirname, '..', 'dist', 'console')];
  return candidates.find(
    (dir) => existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'assets')),
  );
}

// Everything the console loads comes from here; recharts sets inline styles.
const CONSOLE_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * The headers of a page that shares its origin with /admin: what it may load (`csp`), never
 * inside another site's frame (`frame-ancestors 'none'`, and X-Frame-Options for browsers
 * that predate it: a framed page can be clicked through by a site that overlays it), and
 * no Referer carrying its URL elsewhere. nosniff is set for every response in app.setup.ts.
 */
export function pageHeaders(csp: string) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  };
}

/**
 * Serves the console at /console: its files, and index.html for any other path under it
 * (the app routes in the browser). No CDN: every byte comes from this service.
 */
export function serveConsole(dir: string | undefined) {
  const router = express.Router();
  router.use(pageHeaders(CONSOLE_CSP));
  if (!dir) {
    router.use((_req: Request, res: Response) => {
      res
        .status(404)
        .type('text/plain')
        .send('The console is not built: run `npm run build` (npm install does it).');
    });
    return router;
  }
  router.use(
    express.static(dir, {
      index: 'index.html',
      // Hashed file names under assets/ never change; index.html always revalidates.
      setHeaders: (res, path) =>
        res.setHeader(
          'Cache-Control',
          path.includes(`${join('assets', '')}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        ),
    }),
  );
  router.get(/.*/, (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/assets/')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(dir, 'index.html'));
  });
  return router;
}
