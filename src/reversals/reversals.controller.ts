import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiWireFormat } from '../capillary/wire-format';
import { RequirePermission } from '../auth/decorators';
import { FromWire, WireRequest } from '../capillary/wire-request';
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
  @ApiWireFormat(true)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  reverse(@FromWire() request: WireRequest) {
    return this.wire.reverse(request);
  }
}
