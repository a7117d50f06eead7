import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { SecretBox } from '../common/secret-box';
import { OrgsModule } from '../orgs/orgs.module';
import { EventsRepository } from './events.repository';
import { WebhookSender } from './webhook-sender';
import { WebhooksService } from './webhooks.service';

/** Events out: the outbox of events, webhook endpoints, and their delivery. */
@Module({
  imports: [AuditModule, OrgsModule],
  providers: [EventsRepository, WebhooksService, WebhookSender, SecretBox],
  exports: [WebhooksService],
})
export class EventsModule {}
