import { Clock } from '../../src/common/clock';

/** The application's clock in tests: moved forward by hand instead of waiting. */
export class TestClock extends Clock {
  private offsetMs = 0;

  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves "now" forward by `ms` (cumulative). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
