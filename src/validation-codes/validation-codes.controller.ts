import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermission } from '../auth/decorators';
import { Principal } from '../auth/principal';
import { ValidationCodeService } from './validation-code.service';

@ApiTags('v1.1 points')
@Controller('v1.1/points')
export class ValidationCodesController {
  constructor(private readonly codes: ValidationCodeService) {}

  @Get('validationcode')
  // It sends a message and spends the customer's issue budget: a write.
  @RequirePermission('points', 'write')
  @ApiOperation({ summary: 'Issue a validation code (OTP) to the customer by SMS or e-mail' })
  @ApiQuery({ name: 'mobile', required: false })
  @ApiQuery({ name: 'points', required: false })
  @ApiQuery({ name: 'program_id', required: false })
  issue(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    return this.codes.issueFromQuery(principal, query);
  }
}
