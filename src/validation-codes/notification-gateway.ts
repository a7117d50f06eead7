import { Injectable, Logger } from '@nestjs/common';

export interface OutgoingNotification {
  id: string;
  channel: 'SMS' | 'EMAIL';
  recipient: string;
  text: string;
}

/**
 * Where an SMS or e-mail gateway plugs in: provide another implementation of this class
 * (`{ provide: NotificationGateway, useClass: MyGateway }`). Throwing leaves the message in
 * the outbox for the next round.
 */
export abstract class NotificationGateway {
  abstract send(notification: OutgoingNotification): Promise<void>;
}

/** Codes look like this in a message; logs show them masked. */
const CODE_TOKEN = /\b[A-Z0-9]{4,12}\b/g;

export function maskCodes(text: string): string {
  return text.replace(CODE_TOKEN, (t) =>
    /\d/.test(t) || /^[A-Z]+$/.test(t) ? '*'.repeat(t.length) : t,
  );
}

export function maskRecipient(recipient: string): string {
  return recipient.length <= 4
    ? '****'
    : `${'*'.repeat(recipient.length - 4)}${recipient.slice(-4)}`;
}

/** The default gateway: writes a masked line to the log and counts the message as sent. */
@Injectable()
export class LogNotificationGateway extends NotificationGateway {
  private readonly logger = new Logger('Notifications');

  async send(n: OutgoingNotification): Promise<void> {
    this.logger.log(`${n.channel} to ${maskRecipient(n.recipient)}: ${maskCodes(n.text)}`);
  }
}
