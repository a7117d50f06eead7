import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/**
 * Runs `work` every `intervalMs` (0: never), one round at a time, without keeping the
 * process alive; `stop()` waits for a round in progress.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly work: () => Promise<unknown>,
    private readonly logger = new Logger(name),
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.running ??= this.work()
        .then(() => undefined)
        .catch((err: unknown) => this.logger.warn(`${this.name} round failed: ${String(err)}`))
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

/**
 * A service whose one job runs every `intervalMs` from application start to shutdown
 * (the outbox sender, the expiry sweeper, the idempotency purge).
 */
export abstract class PeriodicJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;
  /** Set at shutdown: a long round stops between two of its steps. */
  protected stopping = false;

  protected constructor(name: string, intervalMs: number, logger?: Logger) {
    this.task = new PeriodicTask(name, intervalMs, () => this.round(), logger);
  }

  /** One round of the job. */
  protected abstract round(): Promise<unknown>;

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    return this.task.stop();
  }
}
