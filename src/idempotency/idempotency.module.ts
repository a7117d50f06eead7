import { Module } from '@nestjs/common';
import { OrgsModule } from '../orgs/orgs.module';
import { IdempotencyPurger } from './idempotency-purger';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotencyService } from './idempotency.service';

@Module({
  imports: [OrgsModule],
  providers: [IdempotencyRepository, IdempotencyService, IdempotencyPurger],
  exports: [IdempotencyService],
})
export class IdempotencyModule {}
