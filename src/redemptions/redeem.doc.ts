import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// OpenAPI description of the redeem body. The body itself is parsed tolerantly by
// redeem-request.ts (numbers or numeric strings, single object or array, extras ignored).

class CustomerRefDoc {
  @ApiPropertyOptional({ example: '919900000001' }) mobile?: string;
  @ApiPropertyOptional() email?: string;
  @ApiPropertyOptional() external_id?: string;
  @ApiPropertyOptional({ description: 'customer user_id' }) id?: string;
  @ApiPropertyOptional() card_number?: string;
  @ApiPropertyOptional() card_external_id?: string;
}

class CustomFieldDoc {
  @ApiProperty() name!: string;
  @ApiProperty() value!: string;
}

class CustomFieldsDoc {
  @ApiProperty({ type: [CustomFieldDoc] }) field!: CustomFieldDoc[];
}

class RedeemItemDoc {
  @ApiProperty({ example: 10, description: 'number or numeric string, > 0, at most 3 decimals' })
  points_redeemed!: number;
  @ApiProperty({ type: CustomerRefDoc }) customer!: CustomerRefDoc;
  @ApiPropertyOptional({ example: 'bill-1001' }) transaction_number?: string;
  @ApiPropertyOptional({ example: 'pos7-000123', description: 'unique per org; a repeat gets 744' })
  external_reference_number?: string;
  @ApiPropertyOptional({ example: 'NS3U05' }) validation_code?: string;
  @ApiPropertyOptional({ example: '2024-03-13 18:02:34' }) redemption_time?: string;
  @ApiPropertyOptional() notes?: string;
  @ApiPropertyOptional() redemption_purpose?: string;
  @ApiPropertyOptional({ type: CustomFieldsDoc }) custom_fields?: CustomFieldsDoc;
}

class RedeemRootDoc {
  @ApiProperty({ type: [RedeemItemDoc] }) redeem!: RedeemItemDoc[];
}

export class RedeemRequestDoc {
  @ApiProperty({ type: RedeemRootDoc }) root!: RedeemRootDoc;
}
