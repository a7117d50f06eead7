import { Injectable } from '@nestjs/common';

/**
 * The service's notion of "now". Every expiry decision (lots, validation codes, missed
 * calls) reads it, so a test can give the application a clock it moves forward itself
 * (createApp's `clock` option) instead of sleeping.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
