import { Agent, IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { TimedRequest } from '../http-load';

/**
 * One HTTP exchange that never rejects: either a response (`status` > 0) or a network-level
 * failure (`status` 0 and `error`: refused, reset, client timeout…). Times are
 * performance.now() ms, compatible with maxInFlight from ../http-load.
 */
export interface Outcome {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  error?: string;
  sentAt: number;
  receivedAt: number;
}

export interface SendOptions {
  /**
   * A keep-alive agent for a burst. Without one, each request has a connection of its own:
   * a socket that sat idle might be closed by the server (keep-alive timeout) just as it is
   * reused, which would show up as a reset that the service had nothing to do with.
   */
  agent?: Agent;
  /** Client-side timeout: past it the request is aborted (error 'client timeout'). */
  timeoutMs?: number;
}

/** Sends one request with Node's HTTP client; a failure to get an answer is an Outcome too. */
export function send(baseUrl: string, req: TimedRequest, opts: SendOptions = {}): Promise<Outcome> {
  const url = new URL(req.path, baseUrl);
  for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
  const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
  const headers: Record<string, string | number> = { ...(req.headers ?? {}) };
  if (body) headers['Content-Length'] = body.length;
  return new Promise((resolve) => {
    const startedAt = performance.now();
    let sentAt = Number.NaN;
    let settled = false;
    const finish = (o: Omit<Outcome, 'sentAt' | 'receivedAt'>) => {
      if (settled) return;
      settled = true;
      resolve({
        ...o,
        sentAt: Number.isNaN(sentAt) ? startedAt : sentAt,
        receivedAt: performance.now(),
      });
    };
    const fail = (err: Error & { code?: string }) =>
      finish({ status: 0, headers: {}, text: '', error: err.code ?? err.message });
    const r = httpRequest(
      url,
      { method: req.method ?? 'POST', headers, agent: opts.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('aborted', () => fail(new Error('response aborted')));
        res.on('end', () =>
          finish({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    if (opts.timeoutMs !== undefined) {
      r.setTimeout(opts.timeoutMs, () => r.destroy(new Error('client timeout')));
    }
    r.on('finish', () => {
      sentAt = performance.now();
    });
    r.on('error', fail);
    r.end(body);
  });
}

/**
 * A fresh keep-alive agent for one burst of `sockets` concurrent clients, destroyed after it:
 * within a burst no socket sits idle long enough to meet the server's keep-alive timeout.
 */
export async function withAgent<T>(
  sockets: number,
  burst: (agent: Agent) => Promise<T>,
): Promise<T> {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  try {
    return await burst(agent);
  } finally {
    agent.destroy();
  }
}

/** Runs `clients` workers at once; each gets its index. Resolves when all are done. */
export async function runClients(
  clients: number,
  work: (client: number) => Promise<void>,
): Promise<void> {
  await Promise.all(Array.from({ length: clients }, (_, i) => work(i)));
}

/** A small deterministic PRNG (mulberry32), so that a failing run can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Resolves with `promise`, or rejects when it has not settled within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Counts equal values: {value: count}. */
export function tally<T extends string | number>(values: T[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return out;
}

/** Polls `condition` every 25 ms; throws when it has not become true within `ms`. */
export async function waitUntil(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Sends `requests` through `clients` concurrent workers that share one queue (each worker
 * sends its next request when its previous one has been answered), over a fresh keep-alive
 * agent. Results in request order.
 */
export function sendAll(
  baseUrl: string,
  requests: TimedRequest[],
  clients: number,
  timeoutMs: number,
): Promise<Outcome[]> {
  return withAgent(clients, async (agent) => {
    const out = new Array<Outcome>(requests.length);
    let next = 0;
    await runClients(clients, async () => {
      for (let i = next++; i < requests.length; i = next++) {
        out[i] = await send(baseUrl, requests[i], { agent, timeoutMs });
      }
    });
    return out;
  });
}
