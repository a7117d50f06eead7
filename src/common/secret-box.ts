import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { Env } from '../config/env';
import { readOrCreateSecretFile } from './secret-file';

const VERSION = 'v1';

/**
 * Seals the secrets the service must keep and read back (webhook signing secrets) under a
 * server key: AES-256-GCM, a fresh IV per value, so a copy of the database alone reveals
 * none of them. The key is SECRETS_KEY, else a file generated once next to the embedded
 * database (./.data/secrets-key, mode 0600, checked as the OTP key is).
 */
@Injectable()
export class SecretBox {
  private readonly key: Buffer;

  constructor(config: ConfigService<Env, true>) {
    let material = config.get('SECRETS_KEY', { infer: true });
    if (!material) {
      const file = resolve(
        dirname(resolve(config.get('EMBEDDED_PG_DIR', { infer: true }))),
        'secrets-key',
      );
      const { value, created } = readOrCreateSecretFile(file);
      if (created) new Logger(SecretBox.name).warn(`SECRETS_KEY not set: generated one in ${file}`);
      material = value;
    }
    this.key = createHash('sha256').update(material, 'utf8').digest();
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64'));
    return [VERSION, ...parts].join(':');
  }

  /** Throws when the value was sealed under another key or altered. */
  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || body === undefined)
      throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]);
    return plain.toString('utf8');
  }
}
