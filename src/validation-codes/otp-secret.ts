import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Env } from '../config/env';

/**
 * The key validation codes are hashed under. OTP_SECRET in production; otherwise one is
 * generated once and kept next to the embedded database (./.data/otp-secret), so codes
 * survive a restart.
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
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
      new Logger(OtpSecret.name).warn(`OTP_SECRET not set: generated one in ${file}`);
    }
    this.key = Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
  }

  /** Keyed hash of a code, scoped to its customer so equal codes never share a hash. */
  hash(customerId: number, code: string): string {
    return createHmac('sha256', this.key)
      .update(`${customerId}:${code.toUpperCase()}`)
      .digest('hex');
  }
}
