/**
 * The service through the full stack: autocannon POSTs /v1.1/points/redeem, each request
 * with its own external_reference_number and (spread) a random customer; in JSON, or with
 * `format: 'xml'` as the XML clients send it (XML body, `format=xml`, XML answer). With
 * `read: 'customer/get'` or `'customer/redemptions'` it GETs that endpoint for a random
 * customer instead (a 200 counts as done).
 */
import { randomInt } from 'node:crypto';
import autocannon from 'autocannon';
import { HOT_MOBILE, REDEEM_PATH, spreadMobile } from '../lib/fixtures.mjs';
import { md5Hex, summarize } from '../lib/util.mjs';
import { serveWorker } from '../lib/workers.mjs';

const ITEM_CODE = /"item_status":\{[^}]*"code":(\d+)/;
const XML_ITEM_CODE = /<item_status><success>\w+<\/success><code>(\d+)<\/code>/;

/** One redeem item as the body of the request's format. */
function body(format, item) {
  if (format !== 'xml') return JSON.stringify({ root: { redeem: item } });
  return (
    `<?xml version="1.0" encoding="UTF-8"?><root><redeem>` +
    `<points_redeemed>${item.points_redeemed}</points_redeemed>` +
    `<customer><mobile>${item.customer.mobile}</mobile></customer>` +
    `<transaction_number>${item.transaction_number}</transaction_number>` +
    `<external_reference_number>${item.external_reference_number}</external_reference_number>` +
    `</redeem></root>`
  );
}

function cannon(options, onResponse) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
    // Per response, in ms with sub-millisecond resolution (autocannon's own histogram
    // keeps whole milliseconds).
    instance.on('response', (_client, statusCode, _bytes, ms) => onResponse(statusCode, ms));
  });
}

async function run(p, warm) {
  const authorization = `Basic ${Buffer.from(`${p.username}:${md5Hex(p.password)}`).toString('base64')}`;
  let seq = 0;
  const codes = {};
  let counting = false;
  const xml = p.format === 'xml';
  const itemCode = xml ? XML_ITEM_CODE : ITEM_CODE;
  const reading = p.read !== undefined;
  const options = (amount) => ({
    url: p.baseUrl,
    connections: p.connections,
    pipelining: 1,
    amount,
    timeout: 30,
    requests: [
      reading
        ? {
            method: 'GET',
            headers: { authorization },
            setupRequest: (req) => {
              const mobile =
                p.target === 'hot' ? HOT_MOBILE : spreadMobile(1 + randomInt(p.customers));
              req.path = `/v1.1/${p.read}?mobile=${mobile}`;
              return req;
            },
            onResponse: (status) => {
              if (!counting) return;
              const code = status === 200 ? '800' : `http ${status}`;
              codes[code] = (codes[code] ?? 0) + 1;
            },
          }
        : {
            method: 'POST',
            path: xml ? `${REDEEM_PATH}&format=xml` : REDEEM_PATH,
            headers: { authorization, 'content-type': xml ? 'text/xml' : 'application/json' },
            setupRequest: (req) => {
              seq += 1;
              const mobile =
                p.target === 'hot' ? HOT_MOBILE : spreadMobile(1 + randomInt(p.customers));
              req.body = body(p.format, {
                points_redeemed: p.points,
                customer: { mobile },
                transaction_number: `bill-${seq}`,
                external_reference_number: `${p.ernPrefix}-${seq}`,
              });
              return req;
            },
            onResponse: (status, body) => {
              if (!counting) return;
              const code = itemCode.exec(body)?.[1] ?? `http ${status}`;
              codes[code] = (codes[code] ?? 0) + 1;
            },
          },
    ],
  });

  if (p.warmup > 0) await cannon(options(p.warmup), () => undefined);
  await warm();

  counting = true;
  const latencies = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  // Up to the last response, not to autocannon's callback: it only notices that `amount`
  // was reached on its once-a-second tick, which would round every run up to whole seconds.
  let lastResponseAt = started;
  const result = await cannon(options(p.requests), (status, ms) => {
    lastResponseAt = performance.now();
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const elapsed = lastResponseAt - started;
  const { user, system } = process.cpuUsage(cpu);
  const transport = result.errors + result.timeouts;
  const completed = result['2xx'] + result.non2xx;
  const otherCodes = Object.fromEntries(Object.entries(codes).filter(([code]) => code !== '800'));
  return {
    ...summarize(latencies, completed, elapsed),
    ok: codes['800'] ?? 0,
    non2xx: result.non2xx,
    transportErrors: transport,
    // HTTP-level failures only; item codes other than 800 are in otherCodes.
    errors: result.non2xx + transport,
    otherCodes,
    clientCpuMs: (user + system) / 1000,
  };
}

serveWorker(run);
