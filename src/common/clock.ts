import { Injectable } from '@nestjs/common';

/**
 * The service's notion of "now". Every expiry decision (lots, validation codes, missed
 * calls) reads it, so tests can move time forward instead of sleeping.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Test hook: shift the clock by `ms` (cumulative). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
