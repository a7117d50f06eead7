import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHmac } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { readOrCreateSecretFile } from '../common/secret-file';
import { Env } from '../config/env';

/**
 * The key validation codes are hashed under. OTP_SECRET in production; otherwise one is
 * generated once and kept next to the embedded database (./.data/otp-secret, mode 0600), so
 * codes survive a restart. A key file others can read, or another user's, stops the start.
 */
@Injectable()
export class OtpSecret {
  private readonly key: Buffer;

  constructor(config: ConfigService<Env, true>) {
    const configured = config.get('OTP_SECRET', { infer: true });
    if (configured) {
      this.key = Buffer.from(configured, 'utf8');
      return;
    }
    const file = resolve(
      dirname(resolve(config.get('EMBEDDED_PG_DIR', { infer: true }))),
      'otp-secret',
    );
    const { value, created } = readOrCreateSecretFile(file);
    if (created) new Logger(OtpSecret.name).warn(`OTP_SECRET not set: generated one in ${file}`);
    this.key = Buffer.from(value, 'utf8');
  }

  /** Keyed hash of a code, scoped to its customer so equal codes never share a hash. */
  hash(customerId: number, code: string): string {
    return createHmac('sha256', this.key)
      .update(`${customerId}:${code.toUpperCase()}`)
      .digest('hex');
  }
}
