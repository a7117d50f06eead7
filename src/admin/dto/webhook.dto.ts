import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsString,
  Length,
  ValidateIf,
} from 'class-validator';
import { EVENT_TYPES } from '../../events/event.sql';

/** Absent is fine; null is not (it would clear a field that has no "none"). */
const Optional = (): PropertyDecorator => ValidateIf((_: unknown, v: unknown) => v !== undefined);

const EVENTS_DOC = {
  isArray: true,
  enum: [...EVENT_TYPES],
  enumName: 'EventType',
  description: 'the event types it wants',
};

export class WebhookCreateDto {
  @ApiProperty({ description: 'http(s); not a loopback or private address unless allowed' })
  @IsString()
  @Length(1, 2000)
  url!: string;
  @ApiProperty(EVENTS_DOC)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(EVENT_TYPES.length * 2)
  @IsIn(EVENT_TYPES, { each: true })
  events!: string[];
}

export class WebhookPatchDto {
  @ApiPropertyOptional() @Optional() @IsString() @Length(1, 2000) url?: string;
  @ApiPropertyOptional(EVENTS_DOC)
  @Optional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(EVENT_TYPES.length * 2)
  @IsIn(EVENT_TYPES, { each: true })
  events?: string[];
  @ApiPropertyOptional({ description: 'false: no new events are queued for it, none are sent' })
  @Optional()
  @IsBoolean()
  enabled?: boolean;
}
