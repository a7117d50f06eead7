import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsDecimalField } from './decimal.decorators';

export class OrgConfigPatchDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1440 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1440)
  otp_validity_minutes?: number;

  @ApiPropertyOptional({ minimum: 4, maximum: 12 })
  @IsOptional()
  @IsInt()
  @Min(4)
  @Max(12)
  otp_length?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  otp_max_attempts?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 100,
    description: 'codes a customer may be sent per validity window',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  otp_issue_limit?: number;

  @ApiPropertyOptional({ enum: ['SMS', 'EMAIL'] })
  @IsOptional()
  @IsIn(['SMS', 'EMAIL'])
  otp_channel?: 'SMS' | 'EMAIL';

  @ApiPropertyOptional() @IsOptional() @IsBoolean() otp_required?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() require_validation?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() missed_call_enabled?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enable_group_programs_redemption?: boolean;

  @ApiPropertyOptional({ enum: [200, 400] })
  @IsOptional()
  @IsIn([200, 400])
  failed_item_http_status?: 200 | 400;
}

export class ProgramCreateDto {
  @ApiProperty() @IsString() @Length(1, 100) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_default?: boolean;
  @ApiPropertyOptional({ type: String, example: '1' })
  @IsOptional()
  @IsDecimalField({ places: 3, min: '0' })
  min_redeem?: string;
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsDecimalField({ places: 3, min: '0', exclusiveMin: true })
  max_redeem?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '1' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsDecimalField({ places: 3, min: '0', exclusiveMin: true })
  redeem_multiple_of?: string | null;
  @ApiPropertyOptional({ minimum: 0, maximum: 3 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3)
  decimal_places?: number;
  @ApiPropertyOptional({ type: String, example: '1' })
  @IsOptional()
  @IsDecimalField({ places: 6, min: '0', maxIntegerDigits: 12 })
  points_currency_ratio?: string;
}

/** Any subset of the program's fields. */
export class ProgramPatchDto extends PartialType(ProgramCreateDto) {}

export class TillCreateDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[\w.@-]{1,128}$/, { message: 'username must be 1-128 of letters, digits, _ . @ -' })
  username!: string;
  @ApiProperty() @IsString() @Length(8, 200) password!: string;
  @ApiProperty({ description: 'access group name or id' })
  @ValidateIf((o: TillCreateDto) => typeof o.access_group !== 'number')
  @IsString()
  @IsNotEmpty()
  access_group!: string | number;
}

export class CustomerCreateDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9]{6,20}$/, { message: 'mobile must be 6-20 digits' })
  mobile?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @Length(3, 200) email?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) external_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) card_number?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) card_external_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) firstname?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) lastname?: string;
}

export class CustomerPatchDto {
  @ApiPropertyOptional({ enum: ['NONE', 'MARKED', 'CONFIRMED'] })
  @IsOptional()
  @IsIn(['NONE', 'MARKED', 'CONFIRMED'])
  fraud_status?: 'NONE' | 'MARKED' | 'CONFIRMED';
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) firstname?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) lastname?: string;
}

export class CustomerRefDto {
  @IsOptional() @IsString() id?: string;
  @IsOptional() @IsString() mobile?: string;
  @IsOptional() @IsString() email?: string;
  @IsOptional() @IsString() external_id?: string;
  @IsOptional() @IsString() card_number?: string;
  @IsOptional() @IsString() card_external_id?: string;
}

export class CreditDto {
  @ApiPropertyOptional({ type: CustomerRefDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CustomerRefDto)
  customer?: CustomerRefDto;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) customer_id?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) group_id?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) program_id?: number;
  @ApiProperty({ type: String, example: '100' })
  @IsDecimalField({ places: 3, min: '0', exclusiveMin: true })
  points!: string;
  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string;
  @ApiPropertyOptional({ description: 'when the points were earned (default now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  earned_at?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 500) note?: string;
}

export class GroupCreateDto {
  @ApiProperty() @IsString() @Length(1, 200) external_id!: string;
  @ApiProperty() @IsInt() @Min(1) primary_customer_id!: number;
  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IsArray()
  @IsInt({ each: true })
  @Min(1, { each: true })
  member_ids?: number[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() redemption_enabled?: boolean;
}

export class GroupPatchDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() redemption_enabled?: boolean;
}

export class GroupMemberDto {
  @ApiProperty() @IsInt() @Min(1) customer_id!: number;
}

export class MissedCallDto {
  @ApiProperty()
  @IsString()
  @Matches(/^\+?[0-9]{6,20}$/, { message: 'mobile must be 6-20 digits' })
  mobile!: string;
}

export class CustomFieldDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[\w.-]{1,100}$/, { message: 'name must be 1-100 of letters, digits, _ . -' })
  name!: string;
}
