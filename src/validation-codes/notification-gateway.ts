import { Injectable, Logger } from '@nestjs/common';
import { maskRecipient } from '../common/redact';

export interface OutgoingNotification {
  /** The message's id (a bigint, as text): the same on every attempt to deliver it. */
  id: string;
  channel: 'SMS' | 'EMAIL';
  recipient: string;
  /** The message to deliver: it holds the code in clear. */
  text: string;
  /** The same message with the code masked: what may be logged or shown. */
  maskedText: string;
}

/**
 * Where an SMS or e-mail gateway plugs in: provide another implementation of this class
 * (`{ provide: NotificationGateway, useClass: MyGateway }`). Throwing leaves the message in
 * the outbox for the next round.
 */
export abstract class NotificationGateway {
  abstract send(notification: OutgoingNotification): Promise<void>;
}

/** The default gateway: writes a masked line to the log and counts the message as sent. */
@Injectable()
export class LogNotificationGateway extends NotificationGateway {
  private readonly logger = new Logger('Notifications');

  async send(n: OutgoingNotification): Promise<void> {
    this.logger.log(`${n.channel} to ${maskRecipient(n.recipient)}: ${n.maskedText}`);
  }
}
