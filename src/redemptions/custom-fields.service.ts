import { Injectable } from '@nestjs/common';
import { AdminCall, AuditLog } from '../audit/audit.service';
import { Principal } from '../auth/principal';
import { Db } from '../database/db';
import { conflictOn } from '../database/pg-errors';
import { CustomFieldRepository, CustomFieldRow } from './custom-field.repository';

/** The custom fields a redemption may carry, as operators declare them. */
@Injectable()
export class CustomFieldsService {
  constructor(
    private readonly db: Db,
    private readonly customFields: CustomFieldRepository,
    private readonly audit: AuditLog,
  ) {}

  listCustomFields(principal: Principal): Promise<CustomFieldRow[]> {
    return this.customFields.list(this.db, principal.orgId);
  }

  async createCustomField(principal: AdminCall, name: string): Promise<CustomFieldRow> {
    return this.db
      .transaction(async (tx) => {
        const field = await this.customFields.insertRedemptionField(tx, principal.orgId, name);
        await this.audit.created(tx, principal, ['custom_field', field.id], field);
        return field;
      })
      .catch((err: unknown) =>
        conflictOn(err, { custom_field_org_id_scope_name_key: 'This custom field exists' }),
      );
  }
}
