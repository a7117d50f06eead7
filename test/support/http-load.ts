import { Agent, IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

/** One HTTP exchange with the moments it was sent and answered (performance.now(), ms). */
export interface TimedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The raw body text, exactly as received. */
  text: string;
  /** When the whole request had been handed to the socket. */
  sentAt: number;
  /** When the last byte of the response had arrived. */
  receivedAt: number;
}

export interface TimedRequest {
  method?: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

/** A keep-alive agent that lets `sockets` requests run at the same time. */
export function loadAgent(sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets });
}

/** Sends one request over real HTTP with Node's client and records its timing. */
export function timedRequest(
  baseUrl: string,
  req: TimedRequest,
  agent?: Agent,
): Promise<TimedResponse> {
  const url = new URL(req.path, baseUrl);
  for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
  const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
  const headers: Record<string, string | number> = { ...(req.headers ?? {}) };
  if (body) headers['Content-Length'] = body.length;
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    let sentAt = Number.NaN;
    const r = httpRequest(url, { method: req.method ?? 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
          sentAt: Number.isNaN(sentAt) ? startedAt : sentAt,
          receivedAt: performance.now(),
        }),
      );
    });
    r.on('finish', () => {
      sentAt = performance.now();
    });
    r.on('error', reject);
    r.end(body);
  });
}

/** Fires all requests at once (no awaiting in between) and waits for every answer. */
export function fireAll(
  baseUrl: string,
  requests: TimedRequest[],
  agent?: Agent,
): Promise<TimedResponse[]> {
  return Promise.all(requests.map((r) => timedRequest(baseUrl, r, agent)));
}

/**
 * The largest number of requests that were in flight at one instant: each request counts
 * from the moment it was sent until its response had fully arrived. At equal times an
 * answer is counted before a send, so touching intervals do not count as overlapping.
 */
export function maxInFlight(results: Pick<TimedResponse, 'sentAt' | 'receivedAt'>[]): number {
  const events: [number, number][] = [];
  for (const r of results) {
    events.push([r.sentAt, +1], [r.receivedAt, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let max = 0;
  for (const [, delta] of events) {
    current += delta;
    max = Math.max(max, current);
  }
  return max;
}
