/** Waiting for an earlier holder of the key ran past the allowed time. */
export class QueueTimeoutError extends Error {
  constructor() {
    super('waited too long for an earlier request on the same key');
  }
}

/**
 * First come, first served per key, in this process: `run` starts `work` once every earlier
 * run with the same key has finished. A run that waits longer than `waitMs` gives up its
 * turn (QueueTimeoutError) without letting later runs overtake the ones still ahead of it.
 * `work` learns how long it waited.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, waitMs: number, work: (waitedMs: number) => Promise<T>): Promise<T> {
    const ahead = this.tails.get(key);
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const tail = ahead ? ahead.then(() => done) : done;
    this.tails.set(key, tail);
    const started = performance.now();
    try {
      if (ahead) {
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          ahead.then(() => false),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), waitMs))),
        ]);
        clearTimeout(timer);
        if (timedOut) throw new QueueTimeoutError();
      }
      return await work(performance.now() - started);
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with a run in progress or waiting (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
