import { Body, Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBody,
  ApiHeader,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Request } from 'express';
import { requestIdOf } from '../common/request-id';
import { CurrentPrincipal, RequirePermission } from '../auth/decorators';
import { Principal } from '../auth/principal';
import { ReversalWire } from './reversal.wire';

class IdentifierDoc {
  @ApiProperty({ example: 'mobile' }) type!: string;
  @ApiProperty({ example: '919900000001' }) value!: string;
}

class ReverseRequestDoc {
  @ApiPropertyOptional({ example: 'r0njPT' }) redemptionId?: string;
  @ApiPropertyOptional() externalReferenceNumber?: string;
  @ApiPropertyOptional({ example: 2, description: 'default: everything not yet reversed' })
  pointsToBeReversed?: number;
  @ApiPropertyOptional({ type: IdentifierDoc }) identifier?: IdentifierDoc;
}

@ApiTags('v2 points')
@Controller('v2/points')
export class ReversalsController {
  constructor(private readonly wire: ReversalWire) {}

  @Post('reverse')
  @HttpCode(200)
  @RequirePermission('points', 'write')
  @ApiOperation({ summary: 'Reverse a redemption, fully or partly, back to its original lots' })
  @ApiBody({ type: ReverseRequestDoc })
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
