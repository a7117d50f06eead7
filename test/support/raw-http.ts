import { IncomingHttpHeaders, request as httpRequest } from 'node:http';

/** A request sent byte for byte as given: no default Content-Type, no JSON encoding. */
export interface RawRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'HEAD' | 'OPTIONS';
  /** Path with an already encoded query string, e.g. `/v1.1/customer/get?mobile=%00`. */
  path: string;
  headers?: Record<string, string>;
  /** Sent as is (UTF-8); omitted: no body and no Content-Length. */
  body?: string;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** Sends one request with Node's own client, so nothing is added or normalised on the way. */
export function rawRequest(baseUrl: string, req: RawRequest): Promise<RawResponse> {
  const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
  const headers: Record<string, string | number> = { ...(req.headers ?? {}) };
  if (body) headers['Content-Length'] = body.length;
  return new Promise((resolve, reject) => {
    const r = httpRequest(new URL(req.path, baseUrl), { method: req.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    r.on('error', reject);
    r.end(body);
  });
}

/** A query string with every name and value percent-encoded; pairs keep repeats and order. */
export function qs(params: Record<string, string> | [string, string][]): string {
  const pairs = Array.isArray(params) ? params : Object.entries(params);
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}
