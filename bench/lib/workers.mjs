import { fork } from 'node:child_process';

/**
 * Runs one measurement in a child process (so the load generator never shares an event
 * loop with anything else): sends it `params`, resolves with the result it sends back.
 * Between its warm-up and the measured part the child waits for `onWarm()` (the parent
 * takes its "before" readings there).
 */
export function runWorker(file, params, cleanup, onWarm = async () => undefined) {
  return new Promise((resolve, reject) => {
    const child = fork(file, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const forget = cleanup.add(
      `worker (pid ${child.pid})`,
      async () => child.kill('SIGKILL'),
      () => child.kill('SIGKILL'),
    );
    let result;
    child.on('message', (message) => {
      if (message.phase === 'warm') {
        onWarm().then(
          () => child.send({ go: true }),
          (err) => {
            result = { error: `before the measurement: ${err.message}` };
            child.kill('SIGKILL');
          },
        );
      } else {
        result = message;
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      forget();
      if (result?.error) reject(new Error(`${file}: ${result.error}`));
      else if (result) resolve(result);
      else reject(new Error(`${file} exited (${signal ?? code}) without a result`));
    });
    child.send(params);
  });
}

/**
 * The child's side: `run(params, warm)` once; `await warm()` between warm-up and the
 * measured part; its result (or error) is sent back, then the child exits.
 */
export function serveWorker(run) {
  const warm = () =>
    new Promise((resolve) => {
      process.once('message', resolve);
      process.send({ phase: 'warm' });
    });
  process.once('message', (params) => {
    run(params, warm)
      .then(
        (result) => result,
        (err) => ({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      )
      .then((message) => process.send(message, () => process.exit(message.error ? 1 : 0)));
  });
}
