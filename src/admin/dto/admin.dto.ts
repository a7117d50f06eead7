import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
  registerDecorator,
} from 'class-validator';
import { MAX_ID } from '../../common/ids';
import { IsDecimalField } from './decimal.decorators';

/**
 * May be left out; unlike class-validator's IsOptional, null is not a way to leave it out
 * (it is validated, and refused by the field's own rules unless they allow it).
 */
const Optional = (): PropertyDecorator => ValidateIf((_: unknown, v: unknown) => v !== undefined);

/** A mobile number as a person types it: digits with +, spaces, dashes, dots, parentheses. */
const MOBILE_AS_TYPED = /^(?=(?:\D*\d){6,20}\D*$)\+?[0-9 ().-]{6,40}$/;
const MOBILE_MESSAGE = 'mobile must be 6-20 digits (+, spaces, dashes and parentheses allowed)';

/**
 * A database id: a positive integer a number holds exactly (ids are bigint), sent as a JSON
 * number written in digits. Any other spelling (4.9999999999999999, 1.0, 1e0) reaches here as
 * its text (see AdminBodyPipe) and is refused, never rounded to a neighbour's id.
 */
const ID_MESSAGE = '$property must be an integer written in digits';
const Id = (): PropertyDecorator =>
  applyDecorators(IsInt({ message: ID_MESSAGE }), Min(1), Max(MAX_ID));

/** Text written like a number (what a JSON number not written as an integer arrives as). */
const NUMBER_LIKE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * An access group by name (text) or by id (a JSON number written in digits). Text written
 * like a number is refused rather than looked up as a name: a JSON number such as 4.9999999999999999
 * reaches here as that text, and must be a 400, not a search for a group so named.
 */
function AccessGroupRef(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isAccessGroupRef',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message:
          '$property must be an access group name, or its id as an integer written in digits',
      },
      validator: {
        validate(value: unknown): boolean {
          if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 1;
          return (
            typeof value === 'string' && value.trim() !== '' && !NUMBER_LIKE.test(value.trim())
          );
        },
      },
    });
}

export class OrgConfigPatchDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1440 })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(1440)
  otp_validity_minutes?: number;

  @ApiPropertyOptional({ minimum: 4, maximum: 12 })
  @Optional()
  @IsInt()
  @Min(4)
  @Max(12)
  otp_length?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100 })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(100)
  otp_max_attempts?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 100,
    description: 'codes a customer may be sent per validity window',
  })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(100)
  otp_issue_limit?: number;

  @ApiPropertyOptional({ enum: ['SMS', 'EMAIL'] })
  @Optional()
  @IsIn(['SMS', 'EMAIL'])
  otp_channel?: 'SMS' | 'EMAIL';

  @ApiPropertyOptional() @Optional() @IsBoolean() otp_required?: boolean;
  @ApiPropertyOptional() @Optional() @IsBoolean() require_validation?: boolean;
  @ApiPropertyOptional() @Optional() @IsBoolean() missed_call_enabled?: boolean;
  @ApiPropertyOptional() @Optional() @IsBoolean() enable_group_programs_redemption?: boolean;

  @ApiPropertyOptional({ enum: [200, 400] })
  @Optional()
  @IsIn([200, 400])
  failed_item_http_status?: 200 | 400;

  @ApiPropertyOptional({
    example: '91',
    description: 'country code put before a mobile number of the national length',
  })
  @Optional()
  @IsString()
  @Matches(/^[0-9]{1,4}$/, { message: 'default_country_code must be 1-4 digits' })
  default_country_code?: string;

  @ApiPropertyOptional({ minimum: 4, maximum: 14, example: 10 })
  @Optional()
  @IsInt()
  @Min(4)
  @Max(14)
  national_number_length?: number;

  @ApiPropertyOptional({
    description:
      'keep validation codes readable in the outbox (GET /admin/notifications): for trying the flow without an SMS gateway, never in production',
  })
  @Optional()
  @IsBoolean()
  demo_mode?: boolean;
}

export class ProgramCreateDto {
  @ApiProperty() @IsString() @Length(1, 100) name!: string;
  @ApiPropertyOptional() @Optional() @IsBoolean() is_default?: boolean;
  @ApiPropertyOptional({ type: String, example: '1' })
  @Optional()
  @IsDecimalField({ places: 3, min: '0' })
  min_redeem?: string;
  @ApiPropertyOptional({ type: String, nullable: true })
  @Optional()
  @ValidateIf((_, v) => v !== null)
  @IsDecimalField({ places: 3, min: '0', exclusiveMin: true })
  max_redeem?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '1' })
  @Optional()
  @ValidateIf((_, v) => v !== null)
  @IsDecimalField({ places: 3, min: '0', exclusiveMin: true })
  redeem_multiple_of?: string | null;
  @ApiPropertyOptional({ minimum: 0, maximum: 3 })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(3)
  decimal_places?: number;
  @ApiPropertyOptional({ type: String, example: '1' })
  @Optional()
  @IsDecimalField({ places: 6, min: '0', maxIntegerDigits: 12 })
  points_currency_ratio?: string;
}

/** Any subset of the program's fields (all but name are optional at creation too). */
export class ProgramPatchDto extends OmitType(ProgramCreateDto, ['name'] as const) {
  @ApiPropertyOptional() @Optional() @IsString() @Length(1, 100) name?: string;
}

export class TillCreateDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[\w.@-]{1,128}$/, { message: 'username must be 1-128 of letters, digits, _ . @ -' })
  username!: string;
  @ApiProperty() @IsString() @Length(8, 200) password!: string;
  @ApiProperty({ description: 'access group name or id' })
  @AccessGroupRef()
  access_group!: string | number;
}

export class CustomerCreateDto {
  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Matches(MOBILE_AS_TYPED, { message: MOBILE_MESSAGE })
  mobile?: string;
  @ApiPropertyOptional() @Optional() @IsEmail() @Length(3, 200) email?: string;
  @ApiPropertyOptional() @Optional() @IsString() @Length(1, 200) external_id?: string;
  @ApiPropertyOptional() @Optional() @IsString() @Length(1, 200) card_number?: string;
  @ApiPropertyOptional() @Optional() @IsString() @Length(1, 200) card_external_id?: string;
  @ApiPropertyOptional() @Optional() @IsString() @Length(0, 200) firstname?: string;
  @ApiPropertyOptional() @Optional() @IsString() @Length(0, 200) lastname?: string;
}

export class CustomerPatchDto {
  @ApiPropertyOptional({ enum: ['NONE', 'MARKED', 'CONFIRMED'] })
  @Optional()
  @IsIn(['NONE', 'MARKED', 'CONFIRMED'])
  fraud_status?: 'NONE' | 'MARKED' | 'CONFIRMED';
  @ApiPropertyOptional() @Optional() @IsString() @Length(0, 200) firstname?: string;
  @ApiPropertyOptional() @Optional() @IsString() @Length(0, 200) lastname?: string;
}

export class CustomerRefDto {
  @Optional() @IsString() id?: string;
  @Optional() @IsString() mobile?: string;
  @Optional() @IsString() email?: string;
  @Optional() @IsString() external_id?: string;
  @Optional() @IsString() card_number?: string;
  @Optional() @IsString() card_external_id?: string;
}

export class CreditDto {
  @ApiPropertyOptional({ type: CustomerRefDto })
  @Optional()
  @ValidateNested()
  @Type(() => CustomerRefDto)
  customer?: CustomerRefDto;
  @ApiPropertyOptional() @Optional() @Id() customer_id?: number;
  @ApiPropertyOptional() @Optional() @Id() group_id?: number;
  @ApiPropertyOptional() @Optional() @Id() program_id?: number;
  @ApiProperty({ type: String, example: '100' })
  @IsDecimalField({ places: 3, min: '0', exclusiveMin: true })
  points!: string;
  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z' })
  @Optional()
  @IsISO8601({ strict: true })
  expires_at?: string;
  @ApiPropertyOptional({ description: 'when the points were earned (default now)' })
  @Optional()
  @IsISO8601({ strict: true })
  earned_at?: string;
  @ApiPropertyOptional() @Optional() @IsString() @Length(0, 500) note?: string;
}

export class GroupCreateDto {
  @ApiProperty() @IsString() @Length(1, 200) external_id!: string;
  @ApiProperty() @Id() primary_customer_id!: number;
  @ApiPropertyOptional({ type: [Number] })
  @Optional()
  @IsArray()
  @IsInt({ each: true, message: 'each value in $property must be an integer written in digits' })
  @Min(1, { each: true })
  @Max(MAX_ID, { each: true })
  member_ids?: number[];
  @ApiPropertyOptional() @Optional() @IsBoolean() redemption_enabled?: boolean;
}

export class GroupPatchDto {
  @ApiPropertyOptional() @Optional() @IsBoolean() redemption_enabled?: boolean;
}

export class GroupMemberDto {
  @ApiProperty() @Id() customer_id!: number;
}

export class MissedCallDto {
  @ApiProperty()
  @IsString()
  @Matches(MOBILE_AS_TYPED, { message: MOBILE_MESSAGE })
  mobile!: string;
}

export class CustomFieldDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[\w.-]{1,100}$/, { message: 'name must be 1-100 of letters, digits, _ . -' })
  name!: string;
}

export class TillPatchDto {
  @ApiPropertyOptional({ description: 'false deactivates: its sign-ins fail from then on' })
  @Optional()
  @IsBoolean()
  active?: boolean;
  @ApiPropertyOptional({ description: 'access group name or id' })
  @Optional()
  @AccessGroupRef()
  access_group?: string | number;
  @ApiPropertyOptional({
    description:
      'a new password: the old one stops working at once here, elsewhere within AUTH_CACHE_TTL_MS',
  })
  @Optional()
  @IsString()
  @Length(8, 200)
  password?: string;
}

export class OwnPasswordDto {
  @ApiProperty({ description: 'as a till sends it: plain, or its MD5 or SHA-256 hex' })
  @IsString()
  @Length(1, 200)
  current_password!: string;
  @ApiProperty() @IsString() @Length(8, 200) new_password!: string;
}

export class AdminReverseDto {
  @ApiPropertyOptional({
    type: String,
    example: '5',
    description: 'default: everything not yet reversed',
  })
  @Optional()
  @IsDecimalField({ places: 3, min: '0', exclusiveMin: true })
  points?: string;
}
