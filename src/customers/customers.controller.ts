import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermission } from '../auth/decorators';
import { Principal } from '../auth/principal';
import { CustomersService } from './customers.service';

@ApiTags('v1.1 customer')
@Controller('v1.1/customer')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Get('get')
  @RequirePermission('customer', 'read')
  @ApiOperation({ summary: 'A customer with loyalty points and per-program summaries' })
  @ApiQuery({ name: 'mobile', required: false })
  @ApiQuery({ name: 'email', required: false })
  @ApiQuery({ name: 'external_id', required: false })
  @ApiQuery({ name: 'id', required: false })
  @ApiQuery({ name: 'card_number', required: false })
  get(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    return this.customers.get(principal, query);
  }

  @Get('redemptions')
  @RequirePermission('customer', 'read')
  @ApiOperation({ summary: "A customer's redemptions, newest first, with their reversals" })
  @ApiQuery({ name: 'mobile', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1-100, default 10' })
  @ApiQuery({ name: 'offset', required: false })
  redemptions(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    return this.customers.redemptions(principal, query);
  }
}
