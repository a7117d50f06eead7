import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const md5Hex = (text) => createHash('md5').update(text, 'utf8').digest('hex');

export const randomId = (bytes = 4) => randomBytes(bytes).toString('hex');

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The median of the values that are numbers (null when there are none). */
export function median(values) {
  const sorted = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile of an ascending array. */
/**
 * Per round, the run of `a` over the run of `b` of the same round (paired runs, back to back):
 * the median of those ratios, their range and every one, to two decimals.
 */
export function pairedRatio(aRuns, bRuns, pick) {
  const two = (x) => Math.round(x * 100) / 100;
  const ratios = aRuns.map((run, i) => two(pick(run) / pick(bRuns[i])));
  return {
    median: two(median(ratios)),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    ratios,
  };
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

const round = (x, digits) => (x === null ? null : Number(x.toFixed(digits)));

/** Throughput and latency figures of one measured run. */
export function summarize(latenciesMs, completed, elapsedMs) {
  const sorted = Float64Array.from(latenciesMs).sort();
  return {
    completed,
    elapsedMs: round(elapsedMs, 1),
    rps: round((completed * 1000) / elapsedMs, 1),
    p50: round(percentile(sorted, 50), 2),
    p90: round(percentile(sorted, 90), 2),
    p99: round(percentile(sorted, 99), 2),
    max: round(sorted.length ? sorted[sorted.length - 1] : null, 2),
  };
}

/** A field of /proc/<pid>/status in MB (Linux), or null where it cannot be read. */
export function procStatusMb(pid, field) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Points as exact thousandths (numeric(18,3)), so no float ever touches a balance. */
export function toMilli(text) {
  const [whole, fraction = ''] = String(text).split('.');
  return BigInt(whole) * 1000n + BigInt(`${fraction}000`.slice(0, 3));
}

export function fromMilli(milli) {
  return `${milli / 1000n}.${String(milli % 1000n).padStart(3, '0')}`;
}
