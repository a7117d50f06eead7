import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks (standardwebhooks.com) on the wire: secrets are `whsec_` and the base64
 * of random bytes; a message is signed as `v1,` and the base64 HMAC-SHA256, under the
 * secret's bytes, of `{webhook-id}.{webhook-timestamp}.{body}`. Several signatures, space
 * separated, let a receiver verify with either secret during a rotation.
 */

const PREFIX = 'whsec_';

export function newWebhookSecret(): string {
  return PREFIX + randomBytes(24).toString('base64');
}

function secretBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
}

/** The headers of one attempt: its id (the event's, stable), its time, its signatures. */
export function webhookHeaders(
  messageId: string,
  timestampSeconds: number,
  body: string,
  secrets: string[],
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const signed = `${messageId}.${timestampSeconds}.${body}`;
  const signatures = secrets.map(
    (s) => `v1,${createHmac('sha256', secretBytes(s)).update(signed).digest('base64')}`,
  );
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signatures.join(' '),
  };
}
