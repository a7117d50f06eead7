import { Request } from 'express';
import { isIPv6 } from 'node:net';

/**
 * The address sign-in budgets count by: the socket's, or under TRUST_PROXY the one the named
 * proxies report. IPv4-mapped IPv6 is plain IPv4; other IPv6 addresses count by their /64,
 * the prefix one subscriber gets whole (counting each address would give them 2^64 budgets).
 */
export function budgetAddress(raw: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(raw);
  if (mapped) return mapped[1];
  if (!isIPv6(raw)) return raw;
  const [head, tail = ''] = raw.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = raw.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export const clientAddress = (req: Request): string =>
  budgetAddress(req.ip ?? req.socket.remoteAddress ?? 'unknown');
