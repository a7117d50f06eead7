import { createServer } from 'node:http';

/**
 * A webhook receiver for the benchmark, on loopback: answers every delivery 204 at once and
 * counts them, so that what is measured is the service's side of events out.
 */
export async function startWebhookSink(cleanup) {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/events`;
  const stop = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  cleanup.add('webhook sink', stop);
  return { url, received: () => received, stop };
}

/** Calls the admin API as `admin` ({username, password}); the JSON answer. */
export async function adminCall(baseUrl, admin, method, path, body) {
  const res = await fetch(new URL(path, baseUrl), {
    method,
    headers: {
      Authorization: `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}
