import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, webhookHeaders } from './webhook-signature';

/** Signed as a Standard Webhooks receiver verifies: with the official verifier, not ours. */
describe('webhook signatures', () => {
  const body = JSON.stringify({
    type: 'points.credited',
    timestamp: '2026-01-01T00:00:00.000Z',
    data: { points: '12.5' },
  });
  const now = () => Math.floor(Date.now() / 1000);

  it('a new secret is whsec_ and 24 random bytes, different each time', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(24);
    expect(newWebhookSecret()).not.toBe(a);
  });

  it('verifies with the standardwebhooks library, byte for byte the signature it computes', () => {
    const secret = newWebhookSecret();
    const ts = now();
    const headers = webhookHeaders('msg_1', ts, body, [secret]);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(headers['webhook-signature']).toBe(
      new Webhook(secret).sign('msg_1', new Date(ts * 1000), body),
    );
  });

  it('during a rotation both secrets verify; a third does not', () => {
    const [old, fresh] = [newWebhookSecret(), newWebhookSecret()];
    const headers = webhookHeaders('msg_2', now(), body, [fresh, old]);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(old).verify(body, headers)).toBeTruthy();
    expect(new Webhook(fresh).verify(body, headers)).toBeTruthy();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });

  it('a changed body, id or timestamp fails verification', () => {
    const secret = newWebhookSecret();
    const headers = webhookHeaders('msg_3', now(), body, [secret]);
    const wh = new Webhook(secret);
    expect(() => wh.verify(body.replace('12.5', '12.6'), headers)).toThrow();
    expect(() => wh.verify(body, { ...headers, 'webhook-id': 'msg_4' })).toThrow();
    expect(() =>
      wh.verify(body, {
        ...headers,
        'webhook-timestamp': String(Number(headers['webhook-timestamp']) + 1),
      }),
    ).toThrow();
  });
});
