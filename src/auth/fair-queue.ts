/** The queue of one kind of work is full: the caller should come back later (503). */
export class QueueFullError extends Error {
  constructor() {
    super('too much of this work is already waiting');
  }
}

/**
 * Runs at most `concurrency` jobs at once; the rest wait in one queue per key (a client
 * address), served in turn, one job of each key per round. A key may hold at most
 * `maxPerKey` waiting jobs and all keys together `maxWaiting`; past either, `run` throws
 * QueueFullError at once. So one client flooding the queue waits behind itself while
 * another's job is next: it cannot push anyone else further back than one job.
 */
export class FairQueue {
  private running = 0;
  private waiting = 0;
  /** In the order keys get their next turn (a Map keeps insertion order). */
  private readonly queues = new Map<string, (() => void)[]>();

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting: number,
    private readonly maxPerKey: number,
  ) {}

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency && this.waiting === 0) {
      this.running++;
    } else {
      const queue = this.queues.get(key) ?? [];
      if (this.waiting >= this.maxWaiting || queue.length >= this.maxPerKey) {
        throw new QueueFullError();
      }
      this.waiting++;
      // Started by `dispatch`, which counts it as running before it resolves.
      await new Promise<void>((resolve) => {
        queue.push(resolve);
        this.queues.set(key, queue);
      });
    }
    try {
      return await work();
    } finally {
      this.running--;
      this.dispatch();
    }
  }

  /** Jobs running and waiting (for tests and metrics). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting };
  }

  private dispatch(): void {
    while (this.running < this.concurrency) {
      const next = this.queues.entries().next();
      if (next.done) return;
      const [key, queue] = next.value;
      const start = queue.shift();
      // The key goes to the back of the line for its next job.
      this.queues.delete(key);
      if (queue.length > 0) this.queues.set(key, queue);
      if (!start) continue;
      this.waiting--;
      this.running++;
      start();
    }
  }
}
