import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiWireFormat } from '../capillary/wire-format';
import { CurrentPrincipal, RequirePermission } from '../auth/decorators';
import { Principal } from '../auth/principal';
import { ApiQueryFields } from '../capillary/wire-schema';
import { VALIDATION_CODE_QUERY_FIELDS, ValidationCodeWire } from './validation-code.wire';

@ApiTags('v1.1 points')
@Controller('v1.1/points')
export class ValidationCodesController {
  constructor(private readonly codes: ValidationCodeWire) {}

  @Get('validationcode')
  @ApiQueryFields(VALIDATION_CODE_QUERY_FIELDS)
  @ApiWireFormat()
  // It sends a message and spends the customer's issue budget: a write.
  @RequirePermission('points', 'write')
  @ApiOperation({ summary: 'Issue a validation code (OTP) to the customer by SMS or e-mail' })
  issue(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    return this.codes.issue(principal, query);
  }
}
