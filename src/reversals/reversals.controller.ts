import { Body, Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Request } from 'express';
import { requestIdOf } from '../common/request-id';
import { CurrentPrincipal, RequirePermission } from '../auth/decorators';
import { Principal } from '../auth/principal';
import { ApiBodyFields } from '../capillary/wire-schema';
import { REVERSE_BODY_SCHEMA, ReversalWire } from './reversal.wire';

@ApiTags('v2 points')
@Controller('v2/points')
export class ReversalsController {
  constructor(private readonly wire: ReversalWire) {}

  @Post('reverse')
  @HttpCode(200)
  @RequirePermission('points', 'write')
  @ApiOperation({ summary: 'Reverse a redemption, fully or partly, back to its original lots' })
  @ApiBodyFields(REVERSE_BODY_SCHEMA)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  reverse(
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    return this.wire.reverse(principal, requestIdOf(req), body, idempotencyKey);
  }
}
