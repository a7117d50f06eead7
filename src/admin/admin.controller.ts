import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { Request } from 'express';
import { MAX_ID } from '../common/ids';
import { requestIdOf } from '../common/request-id';
import { CurrentPrincipal, RequirePermission } from '../auth/decorators';
import { Principal } from '../auth/principal';
import { ValidationError } from 'class-validator';
import { ApiError, FieldError } from '../capillary/api-error';
import { AdminBodyPipe, NonEmptyPatchPipe } from './admin-body.pipe';
import { AdminService } from './admin.service';
import { AdminCreditWire, customerJson, customerWithWalletsJson, programJson } from './admin.wire';
import {
  CreditDto,
  CustomerCreateDto,
  CustomerPatchDto,
  CustomFieldDto,
  GroupCreateDto,
  GroupMemberDto,
  GroupPatchDto,
  MissedCallDto,
  OrgConfigPatchDto,
  ProgramCreateDto,
  ProgramPatchDto,
  TillCreateDto,
} from './dto/admin.dto';

function flattenErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenErrors(e.children ?? [], field)];
  });
}

/** Unknown fields are a 400 here (unlike the tolerant v1.1 bodies). */
const strict = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => ApiError.badRequest('Validation failed', flattenErrors(errors)),
});

/** A path id: a positive 32-bit integer; anything else names nothing (404). */
const id = {
  // The class-level ValidationPipe has already turned the text into a number (maybe NaN).
  transform(value: unknown): number {
    const n = Number(value);
    if (!Number.isSafeInteger(n)) {
      throw ApiError.badRequest('id must be an integer', [
        { field: 'id', message: 'must be an integer' },
      ]);
    }
    // A well-formed id outside what any row can have simply names nothing.
    if (n < 1 || n > MAX_ID) throw ApiError.notFound(`No such id: ${n}`);
    return n;
  },
};

@ApiTags('admin')
@Controller('admin')
@RequirePermission('admin', 'write')
@UsePipes(new AdminBodyPipe(), strict)
export class AdminController {
  constructor(
    private readonly admin: AdminService,
    private readonly credits: AdminCreditWire,
  ) {}

  @Get('config')
  getConfig(@CurrentPrincipal() p: Principal) {
    return this.admin.getConfig(p);
  }

  @Patch('config')
  patchConfig(@CurrentPrincipal() p: Principal, @Body(NonEmptyPatchPipe) dto: OrgConfigPatchDto) {
    return this.admin.patchConfig(p, dto);
  }

  @Get('programs')
  async listPrograms(@CurrentPrincipal() p: Principal) {
    return (await this.admin.listPrograms(p)).map(programJson);
  }

  @Post('programs')
  async createProgram(@CurrentPrincipal() p: Principal, @Body() dto: ProgramCreateDto) {
    return programJson(await this.admin.createProgram(p, dto));
  }

  @Patch('programs/:id')
  async patchProgram(
    @CurrentPrincipal() p: Principal,
    @Param('id', id) programId: number,
    @Body(NonEmptyPatchPipe) dto: ProgramPatchDto,
  ) {
    return programJson(await this.admin.patchProgram(p, programId, dto));
  }

  @Get('access-groups')
  listAccessGroups(@CurrentPrincipal() p: Principal) {
    return this.admin.listAccessGroups(p);
  }

  @Get('tills')
  listTills(@CurrentPrincipal() p: Principal) {
    return this.admin.listTills(p);
  }

  @Post('tills')
  createTill(@CurrentPrincipal() p: Principal, @Body() dto: TillCreateDto) {
    return this.admin.createTill(p, dto);
  }

  @Post('customers')
  async createCustomer(@CurrentPrincipal() p: Principal, @Body() dto: CustomerCreateDto) {
    return customerJson(await this.admin.createCustomer(p, dto));
  }

  @Get('customers/:id')
  async getCustomer(@CurrentPrincipal() p: Principal, @Param('id', id) customerId: number) {
    return customerWithWalletsJson(await this.admin.getCustomer(p, customerId));
  }

  @Patch('customers/:id')
  async patchCustomer(
    @CurrentPrincipal() p: Principal,
    @Param('id', id) customerId: number,
    @Body(NonEmptyPatchPipe) dto: CustomerPatchDto,
  ) {
    return customerJson(await this.admin.patchCustomer(p, customerId, dto));
  }

  @Post('points/credit')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  credit(
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
    @Body() dto: CreditDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    return this.credits.credit(p, requestIdOf(req), dto, idempotencyKey);
  }

  @Post('groups')
  createGroup(@CurrentPrincipal() p: Principal, @Body() dto: GroupCreateDto) {
    return this.admin.createGroup(p, dto);
  }

  @Get('groups/:id')
  getGroup(@CurrentPrincipal() p: Principal, @Param('id', id) groupId: number) {
    return this.admin.getGroup(p, groupId);
  }

  @Patch('groups/:id')
  patchGroup(
    @CurrentPrincipal() p: Principal,
    @Param('id', id) groupId: number,
    @Body(NonEmptyPatchPipe) dto: GroupPatchDto,
  ) {
    return this.admin.patchGroup(p, groupId, dto);
  }

  @Post('groups/:id/members')
  addGroupMember(
    @CurrentPrincipal() p: Principal,
    @Param('id', id) groupId: number,
    @Body() dto: GroupMemberDto,
  ) {
    return this.admin.addGroupMember(p, groupId, dto.customer_id);
  }

  @Post('missed-calls')
  recordMissedCall(@CurrentPrincipal() p: Principal, @Body() dto: MissedCallDto) {
    return this.admin.recordMissedCall(p, dto.mobile);
  }

  @Get('notifications')
  listNotifications(@CurrentPrincipal() p: Principal, @Query('customer_id') customerId?: string) {
    if (customerId !== undefined && !/^\d{1,9}$/.test(customerId)) {
      throw ApiError.badRequest('customer_id must be an integer', [
        { field: 'customer_id', message: 'must be an integer' },
      ]);
    }
    return this.admin.listNotifications(
      p,
      customerId === undefined ? undefined : Number(customerId),
    );
  }

  @Get('custom-fields')
  listCustomFields(@CurrentPrincipal() p: Principal) {
    return this.admin.listCustomFields(p);
  }

  @Post('custom-fields')
  createCustomField(@CurrentPrincipal() p: Principal, @Body() dto: CustomFieldDto) {
    return this.admin.createCustomField(p, dto.name);
  }

  @Get('ledger/verify')
  @HttpCode(200)
  verifyLedger(@CurrentPrincipal() p: Principal) {
    return this.admin.verifyLedger(p);
  }
}
