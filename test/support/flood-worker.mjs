// A stranger at the door, in a process of its own so that sending it costs the service's
// process nothing: on "go", N concurrent sign-ins with made-up usernames from one address
// (X-Forwarded-For, believed under TRUST_PROXY). It says "sent" once they are on their
// way, then answers with the status counts.
import http from 'node:http';

const [url, count, address] = process.argv.slice(2);
const { hostname, port } = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(count) });

function attempt(i) {
  return new Promise((resolve) => {
    const credential = Buffer.from(`stranger-${process.pid}-${i}:guess-${i}`).toString('base64');
    const req = http.get(
      {
        hostname,
        port,
        path: '/v1.1/customer/get?mobile=919900000001',
        agent,
        headers: { Authorization: `Basic ${credential}`, 'X-Forwarded-For': address },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.statusCode)));
      },
    );
    req.on('error', (err) => resolve(`error:${err.code ?? err.message}`));
  });
}

process.on('message', async () => {
  const pending = Array.from({ length: Number(count) }, (_, i) => attempt(i));
  process.send('sent');
  const statuses = await Promise.all(pending);
  const counts = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  process.send(counts, () => process.exit(0));
});
process.send('ready');
