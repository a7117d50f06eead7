import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { registerDecorator, ValidationArguments } from 'class-validator';
import { Decimal } from '../../common/decimal';

interface DecimalOptions {
  /** Most fractional digits allowed. */
  places: number;
  /** Smallest value allowed (inclusive), and whether it may equal it. */
  min?: string;
  exclusiveMin?: boolean;
  maxIntegerDigits?: number;
}

/** A decimal given as a JSON number or numeric string, kept as its exact string. */
export function IsDecimalField(options: DecimalOptions): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'number' ? String(value) : value,
    ),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'isDecimalField',
        target: target.constructor,
        propertyName: String(propertyName),
        options: {
          message: (args: ValidationArguments) =>
            `${args.property} must be a number with at most ${options.places} decimal places` +
            (options.min !== undefined
              ? ` and ${options.exclusiveMin ? '>' : '>='} ${options.min}`
              : ''),
        },
        validator: {
          validate(value: unknown): boolean {
            if (typeof value !== 'string') return false;
            const d = Decimal.parse(value);
            if (d === null || d.decimalPlaces > options.places) return false;
            if (d.integerDigits > (options.maxIntegerDigits ?? 15)) return false;
            if (options.min !== undefined) {
              const c = d.cmp(Decimal.of(options.min));
              if (c < 0 || (options.exclusiveMin && c === 0)) return false;
            }
            return true;
          },
        },
      }),
  );
}
