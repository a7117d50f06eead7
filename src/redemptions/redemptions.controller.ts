import { Body, Controller, Get, Headers, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Request } from 'express';
import { CurrentPrincipal, RequirePermission } from '../auth/decorators';
import { Principal } from '../auth/principal';
import { RedeemRequestDoc } from './redeem.doc';
import { parseBool, queryValue } from '../capillary/query';
import { RedeemWire } from './redeem.wire';
import { requestIdOf } from '../common/request-id';

const REDEEM_QUERY = [
  'program_id',
  'skip_validation',
  'validation_type',
  'user_group2_id',
  'user_group2_external_id',
  'user_group2_primary_user_id',
  'user_group2_primary_user_identifier_type',
  'user_group2_primary_user_identifier_value',
];

function RedeemDocs(): MethodDecorator {
  return (target, key, descriptor) => {
    ApiOperation({
      summary: 'Redeem points (each item in its own transaction)',
      description:
        'Capillary v1.1 redeem. Accepts POST and, as Capillary documents it, GET with the same body.',
    })(target, key, descriptor);
    ApiBody({ type: RedeemRequestDoc })(target, key, descriptor);
    ApiHeader({ name: 'Idempotency-Key', required: false })(target, key, descriptor);
    for (const name of REDEEM_QUERY) ApiQuery({ name, required: false })(target, key, descriptor);
  };
}

@ApiTags('v1.1 points')
@Controller('v1.1/points')
export class RedemptionsController {
  constructor(private readonly wire: RedeemWire) {}

  @Post('redeem')
  @HttpCode(200)
  @RequirePermission('points', 'write')
  @RedeemDocs()
  redeem(
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Query() query: Record<string, unknown>,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    return this.wire.redeem(principal, requestIdOf(req), query, body, idempotencyKey);
  }

  @Get('redeem')
  @RequirePermission('points', 'write')
  @RedeemDocs()
  redeemByGet(
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Query() query: Record<string, unknown>,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    return this.wire.redeem(principal, requestIdOf(req), query, body, idempotencyKey);
  }

  @Get('isredeemable')
  // A dry run that presents a code (a wrong one counts toward the lockout) or issues one writes.
  @RequirePermission('points', 'read', (req) => {
    const query = req.query as Record<string, unknown>;
    return !!queryValue(query, 'validation_code') || parseBool(queryValue(query, 'issue_otp'));
  })
  @ApiOperation({
    summary: 'Dry-run the redeem checks (nothing written); issue_otp=true also issues a code',
  })
  @ApiQuery({ name: 'points', required: true })
  @ApiQuery({ name: 'mobile', required: false })
  @ApiQuery({ name: 'validation_code', required: false })
  @ApiQuery({ name: 'issue_otp', required: false })
  @ApiQuery({ name: 'program_id', required: false })
  @ApiQuery({ name: 'skip_validation', required: false })
  isRedeemable(
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Query() query: Record<string, unknown>,
  ) {
    return this.wire.isRedeemable(principal, requestIdOf(req), query);
  }
}
