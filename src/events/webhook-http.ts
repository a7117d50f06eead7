import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may go, and how one attempt is made. Safe by default: http(s) only, never
 * to loopback, private, link-local, unique-local, multicast or otherwise reserved addresses
 * (unless WEBHOOK_ALLOW_PRIVATE), checked when an endpoint is created and again on every
 * connection (the check is the resolver the connection uses, so DNS that changes between
 * the two cannot slip past it); no redirect is followed; the response is read up to a cap.
 */

const NOT_PUBLIC = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NOT_PUBLIC.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
] as const)
  NOT_PUBLIC.addSubnet(net, bits, 'ipv6');

/** Whether an address (v4, v6, or v4 mapped into v6) is one a webhook may not reach. */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return NOT_PUBLIC.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class WebhookUrlError extends Error {}

/** The URL, checked for its form (and, unless allowed, a host that is not private). */
export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookUrlError('not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new WebhookUrlError('must be http or https');
  if (url.username || url.password) throw new WebhookUrlError('may not carry credentials');
  return url;
}

const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** Refuses a URL whose host is, or resolves to, an address a webhook may not reach. */
export async function checkWebhookHost(url: URL, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = hostOf(url);
  const addresses = isIP(host)
    ? [host]
    : await new Promise<string[]>((resolve, reject) =>
        dnsLookup(host, { all: true }, (err, found) =>
          err
            ? reject(new WebhookUrlError(`cannot resolve ${host}`))
            : resolve(found.map((a) => a.address)),
        ),
      );
  if (addresses.some(isNonPublicAddress))
    throw new WebhookUrlError('resolves to a loopback, private or reserved address');
}

/** A resolver that refuses non-public addresses: the one every attempt connects through. */
function publicLookup(
  hostname: string,
  options: LookupOptions,
  callback: (
    err: NodeJS.ErrnoException | null,
    address: string | LookupAddress[],
    family?: number,
  ) => void,
): void {
  dnsLookup(hostname, { ...options, all: true }, (err, found) => {
    if (err) return callback(err, []);
    const allowed = found.filter((a) => !isNonPublicAddress(a.address));
    if (allowed.length === 0) {
      const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves to no public address`);
      refused.code = 'EWEBHOOKPRIVATE';
      return callback(refused, []);
    }
    if (options.all) callback(null, allowed);
    else callback(null, allowed[0].address, allowed[0].family);
  });
}

export interface Attempt {
  /** The HTTP status, when an answer came. */
  status?: number;
  /** Why there was no answer (timeout, refused connection, a private address, …). */
  error?: string;
  /** The start of the answer's body, for the operator. */
  excerpt: string;
}

const EXCERPT_CHARS = 300;
const MAX_RESPONSE_BYTES = 64 * 1024;

/** POSTs `body` once; never throws. */
export async function postWebhook(
  url: URL,
  headers: Record<string, string>,
  body: string,
  o: { timeoutMs: number; allowPrivate: boolean },
): Promise<Attempt> {
  if (!o.allowPrivate && isIP(hostOf(url)) && isNonPublicAddress(hostOf(url)))
    return { error: 'address is loopback, private or reserved', excerpt: '' };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Attempt>((resolve) => {
    let settled = false;
    const done = (a: Attempt) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(a);
    };
    const req = send(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'points-redemption-webhooks/1',
        },
        ...(o.allowPrivate ? {} : { lookup: publicLookup }),
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () =>
          done({
            status: res.statusCode,
            excerpt: Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_CHARS),
          });
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_RESPONSE_BYTES) finish();
        });
        res.on('end', finish);
        res.on('error', finish);
      },
    );
    const timer = setTimeout(
      () => done({ error: `no answer within ${o.timeoutMs} ms`, excerpt: '' }),
      o.timeoutMs,
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      done({
        error:
          err.code === 'EWEBHOOKPRIVATE' ? err.message : `${err.code ?? ''} ${err.message}`.trim(),
        excerpt: '',
      }),
    );
    req.end(body);
  });
}
