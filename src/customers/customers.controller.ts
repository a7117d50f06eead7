import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiWireFormat } from '../capillary/wire-format';
import { CurrentPrincipal, RequirePermission } from '../auth/decorators';
import { Principal } from '../auth/principal';
import { ApiQueryFields } from '../capillary/wire-schema';
import { CUSTOMER_QUERY_FIELDS, CustomersWire, REDEMPTIONS_QUERY_FIELDS } from './customers.wire';

@ApiTags('v1.1 customer')
@Controller('v1.1/customer')
export class CustomersController {
  constructor(private readonly customers: CustomersWire) {}

  @Get('get')
  @ApiQueryFields(CUSTOMER_QUERY_FIELDS)
  @ApiWireFormat()
  @RequirePermission('customer', 'read')
  @ApiOperation({ summary: 'A customer with loyalty points and per-program summaries' })
  get(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    return this.customers.get(principal, query);
  }

  @Get('redemptions')
  @ApiQueryFields(REDEMPTIONS_QUERY_FIELDS)
  @ApiWireFormat()
  @RequirePermission('customer', 'read')
  @ApiOperation({ summary: "A customer's redemptions, newest first, with their reversals" })
  redemptions(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    return this.customers.redemptions(principal, query);
  }
}
