/**
 * Everything the run started, undone in reverse order: on success, on failure and on
 * Ctrl-C. Async disposers run from `run()`; the synchronous last resorts run from the
 * process 'exit' event, which also fires when some other handler calls process.exit first.
 */
export class Cleanup {
  #disposers = [];
  #lastResorts = new Set();
  #running;
  /** Set once Ctrl-C or SIGTERM arrived: failures after that are the interruption's. */
  interrupted = false;

  constructor() {
    process.on('exit', () => {
      for (const fn of [...this.#lastResorts].reverse()) {
        try {
          fn();
        } catch {
          // nothing more can be done while exiting
        }
      }
    });
  }

  /** `dispose` is awaited by run(); `lastResort` must be synchronous and idempotent. */
  add(name, dispose, lastResort) {
    const entry = { name, dispose, lastResort };
    this.#disposers.push(entry);
    if (lastResort) this.#lastResorts.add(lastResort);
    return () => {
      this.#disposers = this.#disposers.filter((e) => e !== entry);
      if (lastResort) this.#lastResorts.delete(lastResort);
    };
  }

  run() {
    this.#running ??= (async () => {
      while (this.#disposers.length > 0) {
        const { name, dispose, lastResort } = this.#disposers.pop();
        try {
          await dispose();
          if (lastResort) this.#lastResorts.delete(lastResort);
        } catch (err) {
          console.error(`cleanup: ${name} failed: ${err instanceof Error ? err.message : err}`);
        }
      }
    })();
    return this.#running;
  }

  /** Ctrl-C / SIGTERM: clean up, then exit; a second signal exits at once. */
  exitOnSignals() {
    const onSignal = (signal) => {
      if (this.interrupted) process.exit(130);
      this.interrupted = true;
      console.error(`\n${signal}: stopping everything the benchmark started…`);
      void this.run().finally(() => process.exit(130));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
}
