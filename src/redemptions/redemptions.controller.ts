import { applyDecorators, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiWireFormat } from '../capillary/wire-format';
import { RequirePermission } from '../auth/decorators';
import { FromWire, WireRequest } from '../capillary/wire-request';
import { ApiBodyFields, ApiQueryFields, parseFields } from '../capillary/wire-schema';
import {
  ISREDEEMABLE_QUERY_FIELDS,
  REDEEM_BODY_SCHEMA,
  REDEEM_QUERY_FIELDS,
} from './redeem-request';
import { RedeemWire } from './redeem.wire';

const RedeemDocs = () =>
  applyDecorators(
    ApiOperation({
      summary: 'Redeem points (each item in its own transaction)',
      description:
        'Capillary v1.1 redeem. Accepts POST and, as Capillary documents it, GET with the same body.',
    }),
    ApiBodyFields(REDEEM_BODY_SCHEMA),
    ApiHeader({ name: 'Idempotency-Key', required: false }),
    ApiQueryFields(REDEEM_QUERY_FIELDS),
    ApiWireFormat(true),
  );

@ApiTags('v1.1 points')
@Controller('v1.1/points')
export class RedemptionsController {
  constructor(private readonly wire: RedeemWire) {}

  // The same one line for both methods: real clients POST, the seed page says GET.
  @Post('redeem')
  @HttpCode(200)
  @RequirePermission('points', 'write')
  @RedeemDocs()
  redeem(@FromWire() request: WireRequest) {
    return this.wire.redeem(request);
  }

  @Get('redeem')
  @RequirePermission('points', 'write')
  @RedeemDocs()
  redeemByGet(@FromWire() request: WireRequest) {
    return this.wire.redeem(request);
  }

  @Get('isredeemable')
  // A dry run that presents a code (a wrong one counts toward the lockout) or issues one writes.
  @RequirePermission('points', 'read', (req) => {
    const q = parseFields(ISREDEEMABLE_QUERY_FIELDS, req.query as Record<string, unknown>);
    return !!q.validation_code || q.issue_otp;
  })
  @ApiOperation({
    summary: 'Dry-run the redeem checks (nothing written); issue_otp=true also issues a code',
  })
  @ApiQueryFields({ ...ISREDEEMABLE_QUERY_FIELDS, ...REDEEM_QUERY_FIELDS })
  @ApiWireFormat()
  isRedeemable(@FromWire() request: WireRequest) {
    return this.wire.isRedeemable(request);
  }
}
