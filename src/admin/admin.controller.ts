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
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import { ApiHeader, ApiQuery, ApiTags } from '@nestjs/swagger';
import { MAX_ID } from '../common/ids';
import { ClientAddress, CurrentPrincipal, RequirePermission } from '../auth/decorators';
import { Principal } from '../auth/principal';
import { ValidationError } from 'class-validator';
import { ApiError, FieldError } from '../capillary/api-error';
import { AdminBodyPipe, NonEmptyPatchPipe } from './admin-body.pipe';
import { TillsService } from '../auth/tills.service';
import { isRedemptionCode } from '../common/codes';
import { CustomersService } from '../customers/customers.service';
import { GroupsService } from '../groups/groups.service';
import { LedgerCheckService } from '../ledger/ledger-check.service';
import { WebhooksService } from '../events/webhooks.service';
import { wireId } from '../capillary/wire-json';
import { WebhookCreateDto, WebhookPatchDto } from './dto/webhook.dto';
import { ProgramsService } from '../programs/programs.service';
import { CustomFieldsService } from '../redemptions/custom-fields.service';
import { ValidationCodeService } from '../validation-codes/validation-code.service';
import {
  AdminCreditWire,
  customerJson,
  customerWithWalletsJson,
  deliveryPageJson,
  ledgerCheckJson,
  programJson,
  withWireId,
} from './admin.wire';
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
  AdminReverseDto,
  OwnPasswordDto,
  TillCreateDto,
  TillPatchDto,
} from './dto/admin.dto';
import { AdminCall } from '../audit/audit.service';
import { Caller } from './admin-call';
import { ConsoleService } from './console.service';
import {
  auditPageJson,
  ledgerPageJson,
  lotJson,
  redemptionPageJson,
  reversedJson,
  statsJson,
} from './console.wire';
import { ApiPageQuery, intQuery, optionalText, pageQuery, text } from './admin-query';

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

/** A path id: a positive integer a number holds exactly (ids are bigint); else 400 or 404. */
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
    private readonly programs: ProgramsService,
    private readonly tills: TillsService,
    private readonly customers: CustomersService,
    private readonly groups: GroupsService,
    private readonly validation: ValidationCodeService,
    private readonly customFields: CustomFieldsService,
    private readonly ledgerCheck: LedgerCheckService,
    private readonly webhooks: WebhooksService,
    private readonly credits: AdminCreditWire,
    private readonly console: ConsoleService,
  ) {}

  @Get('config')
  getConfig(@CurrentPrincipal() p: Principal) {
    return this.programs.getConfig(p);
  }

  @Patch('config')
  patchConfig(@Caller() p: AdminCall, @Body(NonEmptyPatchPipe) dto: OrgConfigPatchDto) {
    return this.programs.patchConfig(p, dto);
  }

  @Get('programs')
  async listPrograms(@CurrentPrincipal() p: Principal) {
    return (await this.programs.listPrograms(p)).map(programJson);
  }

  @Post('programs')
  async createProgram(@Caller() p: AdminCall, @Body() dto: ProgramCreateDto) {
    return programJson(await this.programs.createProgram(p, dto));
  }

  @Patch('programs/:id')
  async patchProgram(
    @Caller() p: AdminCall,
    @Param('id', id) programId: number,
    @Body(NonEmptyPatchPipe) dto: ProgramPatchDto,
  ) {
    return programJson(await this.programs.patchProgram(p, programId, dto));
  }

  @Get('access-groups')
  listAccessGroups(@CurrentPrincipal() p: Principal) {
    return this.tills.listAccessGroups(p);
  }

  @Get('tills')
  listTills(@CurrentPrincipal() p: Principal) {
    return this.tills.listTills(p);
  }

  @Patch('tills/:id')
  patchTill(
    @Caller() p: AdminCall,
    @Param('id', id) tillId: number,
    @Body(NonEmptyPatchPipe) dto: TillPatchDto,
  ) {
    return this.tills.patchTill(p, tillId, dto);
  }

  @Post('me/password')
  @HttpCode(204)
  async changeOwnPassword(
    @Caller() p: AdminCall,
    @Body() dto: OwnPasswordDto,
    @ClientAddress() address: string,
  ): Promise<void> {
    await this.tills.changeOwnPassword(p, dto, address);
  }

  @Post('tills')
  createTill(@Caller() p: AdminCall, @Body() dto: TillCreateDto) {
    return this.tills.createTill(p, dto);
  }

  @Get('customers')
  @ApiQuery({ name: 'q', description: 'an id, or any identifier (a mobile in any shape)' })
  async searchCustomers(@CurrentPrincipal() p: Principal, @Query('q') q?: unknown) {
    return (await this.console.searchCustomers(p, text(q, 'q', 200))).map(customerJson);
  }

  @Get('customers/:id/lots')
  async customerLots(@CurrentPrincipal() p: Principal, @Param('id', id) customerId: number) {
    return (await this.console.openLots(p, customerId)).map(lotJson);
  }

  @Get('customers/:id/ledger')
  @ApiPageQuery()
  async customerLedger(
    @CurrentPrincipal() p: Principal,
    @Param('id', id) customerId: number,
    @Query('before') before?: unknown,
    @Query('limit') limit?: unknown,
  ) {
    const cursor = pageQuery(before, limit, 20);
    return ledgerPageJson(await this.console.ledger(p, customerId, cursor.before, cursor.limit));
  }

  @Get('customers/:id/redemptions')
  @ApiPageQuery()
  async customerRedemptions(
    @CurrentPrincipal() p: Principal,
    @Param('id', id) customerId: number,
    @Query('before') before?: unknown,
    @Query('limit') limit?: unknown,
  ) {
    const cursor = pageQuery(before, limit, 20);
    return redemptionPageJson(
      await this.console.redemptions(p, customerId, cursor.before, cursor.limit),
    );
  }

  @Post('redemptions/:code/reverse')
  @HttpCode(200)
  async reverse(@Caller() p: AdminCall, @Param('code') code: string, @Body() dto: AdminReverseDto) {
    if (!isRedemptionCode(code)) throw ApiError.notFound(`Redemption ${code} not found`);
    return reversedJson(await this.console.reverse(p, code, dto.points));
  }

  @Get('stats')
  @ApiQuery({ name: 'hours', required: false, description: '1-168, default 24' })
  async stats(@CurrentPrincipal() p: Principal, @Query('hours') hours?: unknown) {
    return statsJson(await this.console.stats(p, intQuery(hours, 'hours', 1, 168) ?? 24));
  }

  @Get('audit')
  @ApiPageQuery()
  @ApiQuery({ name: 'action', required: false })
  @ApiQuery({ name: 'target_type', required: false })
  @ApiQuery({ name: 'target_id', required: false })
  async audit(
    @CurrentPrincipal() p: Principal,
    @Query('before') before?: unknown,
    @Query('limit') limit?: unknown,
    @Query('action') action?: unknown,
    @Query('target_type') targetType?: unknown,
    @Query('target_id') targetId?: unknown,
  ) {
    const cursor = pageQuery(before, limit, 50);
    const filter = {
      action: optionalText(action, 'action'),
      targetType: optionalText(targetType, 'target_type'),
      targetId: optionalText(targetId, 'target_id'),
    };
    return auditPageJson(await this.console.audit(p, filter, cursor.before, cursor.limit));
  }

  @Post('customers')
  async createCustomer(@Caller() p: AdminCall, @Body() dto: CustomerCreateDto) {
    return customerJson(await this.customers.createCustomer(p, dto));
  }

  @Get('customers/:id')
  async getCustomer(@CurrentPrincipal() p: Principal, @Param('id', id) customerId: number) {
    return customerWithWalletsJson(await this.customers.getCustomer(p, customerId));
  }

  @Patch('customers/:id')
  async patchCustomer(
    @Caller() p: AdminCall,
    @Param('id', id) customerId: number,
    @Body(NonEmptyPatchPipe) dto: CustomerPatchDto,
  ) {
    return customerJson(await this.customers.patchCustomer(p, customerId, dto));
  }

  @Post('points/credit')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  credit(
    @Caller() p: AdminCall,
    @Body() dto: CreditDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    return this.credits.credit(p, dto, idempotencyKey);
  }

  @Get('groups')
  listGroups(@CurrentPrincipal() p: Principal) {
    return this.groups.listGroups(p);
  }

  @Post('groups')
  createGroup(@Caller() p: AdminCall, @Body() dto: GroupCreateDto) {
    return this.groups.createGroup(p, dto);
  }

  @Get('groups/:id')
  getGroup(@CurrentPrincipal() p: Principal, @Param('id', id) groupId: number) {
    return this.groups.getGroup(p, groupId);
  }

  @Patch('groups/:id')
  patchGroup(
    @Caller() p: AdminCall,
    @Param('id', id) groupId: number,
    @Body(NonEmptyPatchPipe) dto: GroupPatchDto,
  ) {
    return this.groups.patchGroup(p, groupId, dto);
  }

  @Post('groups/:id/members')
  addGroupMember(
    @Caller() p: AdminCall,
    @Param('id', id) groupId: number,
    @Body() dto: GroupMemberDto,
  ) {
    return this.groups.addGroupMember(p, groupId, dto.customer_id);
  }

  @Get('missed-calls')
  async listMissedCalls(@CurrentPrincipal() p: Principal) {
    return (await this.validation.listMissedCalls(p)).map(withWireId);
  }

  @Post('missed-calls')
  async recordMissedCall(@Caller() p: AdminCall, @Body() dto: MissedCallDto) {
    return withWireId(await this.validation.recordMissedCall(p, dto.mobile));
  }

  @Get('notifications')
  async listNotifications(
    @CurrentPrincipal() p: Principal,
    @Query('customer_id') customerId?: string,
  ) {
    if (customerId !== undefined && !(/^\d{1,16}$/.test(customerId) && +customerId <= MAX_ID)) {
      throw ApiError.badRequest('customer_id must be an integer', [
        { field: 'customer_id', message: 'must be an integer' },
      ]);
    }
    const rows = await this.validation.listNotifications(
      p,
      customerId === undefined ? undefined : Number(customerId),
    );
    return rows.map(withWireId);
  }

  @Get('custom-fields')
  listCustomFields(@CurrentPrincipal() p: Principal) {
    return this.customFields.listCustomFields(p);
  }

  @Post('custom-fields')
  createCustomField(@Caller() p: AdminCall, @Body() dto: CustomFieldDto) {
    return this.customFields.createCustomField(p, dto.name);
  }

  @Get('webhooks')
  listWebhooks(@CurrentPrincipal() p: Principal) {
    return this.webhooks.list(p.orgId);
  }

  @Post('webhooks')
  createWebhook(@Caller() p: AdminCall, @Body() dto: WebhookCreateDto) {
    return this.webhooks.create(p, dto);
  }

  @Patch('webhooks/:id')
  patchWebhook(
    @Caller() p: AdminCall,
    @Param('id', id) webhookId: number,
    @Body(NonEmptyPatchPipe) dto: WebhookPatchDto,
  ) {
    return this.webhooks.patch(p, webhookId, dto);
  }

  @Post('webhooks/:id/rotate')
  @HttpCode(200)
  rotateWebhook(@Caller() p: AdminCall, @Param('id', id) webhookId: number) {
    return this.webhooks.rotate(p, webhookId);
  }

  @Get('webhooks/:id/deliveries')
  @ApiPageQuery()
  async webhookDeliveries(
    @CurrentPrincipal() p: Principal,
    @Param('id', id) webhookId: number,
    @Query('before') before?: unknown,
    @Query('limit') limit?: unknown,
  ) {
    const cursor = pageQuery(before, limit, 20);
    const rows = await this.webhooks.deliveries(p.orgId, webhookId, cursor.before, cursor.limit);
    return deliveryPageJson(rows, cursor.limit);
  }

  @Post('webhooks/deliveries/:id/retry')
  @HttpCode(200)
  async retryDelivery(@Caller() p: AdminCall, @Param('id', id) deliveryId: number) {
    const row = await this.webhooks.retry(p, deliveryId);
    return { id: wireId(row.id), endpoint_id: row.endpoint_id, status: 'pending' };
  }

  @Get('ledger/verify')
  @HttpCode(200)
  async verifyLedger(@CurrentPrincipal() p: Principal) {
    return ledgerCheckJson(await this.ledgerCheck.verify(p.orgId));
  }
}
