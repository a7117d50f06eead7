import { Decimal } from '../common/decimal';
import { checkProgramRules } from './program-rules';
import { Program } from './program.repository';

const program = (rules: {
  decimalPlaces?: number;
  min?: string;
  max?: string | null;
  multiple?: string | null;
}): Program => ({
  id: 1,
  orgId: 1,
  name: 'Test',
  isDefault: true,
  decimalPlaces: rules.decimalPlaces ?? 3,
  minRedeem: Decimal.of(rules.min ?? '0'),
  maxRedeem: rules.max ? Decimal.of(rules.max) : null,
  redeemMultipleOf: rules.multiple ? Decimal.of(rules.multiple) : null,
  pointsCurrencyRatio: Decimal.of('1'),
});

const check = (points: string, p: Program) => checkProgramRules(Decimal.of(points), p);

describe('checkProgramRules', () => {
  const strict = program({ decimalPlaces: 0, min: '10', max: '100', multiple: '5' });

  it('accepts amounts within every rule, boundaries included', () => {
    expect(check('10', strict)).toBeNull();
    expect(check('50', strict)).toBeNull();
    expect(check('100', strict)).toBeNull();
    expect(check('10.000', strict)).toBeNull();
  });

  it('precision first: even when also below the minimum and not a multiple', () => {
    expect(check('1.5', strict)).toBe('INVALID_PRECISION');
    expect(check('500.5', strict)).toBe('INVALID_PRECISION');
  });

  it('then the minimum: even when also not a multiple', () => {
    expect(check('5', strict)).toBe('BELOW_MINIMUM');
    expect(check('3', strict)).toBe('BELOW_MINIMUM');
    expect(check('9', strict)).toBe('BELOW_MINIMUM');
  });

  it('then the maximum: even when also not a multiple', () => {
    expect(check('105', strict)).toBe('ABOVE_MAXIMUM');
    expect(check('101', strict)).toBe('ABOVE_MAXIMUM');
  });

  it('then the multiple', () => {
    expect(check('12', strict)).toBe('NOT_A_MULTIPLE');
    expect(check('99', strict)).toBe('NOT_A_MULTIPLE');
  });

  it('the seed default program: 3 decimals, min 1, multiple of 1', () => {
    const seed = program({ decimalPlaces: 3, min: '1', multiple: '1' });
    expect(check('1', seed)).toBeNull();
    expect(check('800', seed)).toBeNull();
    expect(check('0.5', seed)).toBe('BELOW_MINIMUM');
    expect(check('10.5', seed)).toBe('NOT_A_MULTIPLE');
  });

  it('no maximum and no multiple: anything at or above the minimum', () => {
    const open = program({ decimalPlaces: 3, min: '0' });
    expect(check('0.001', open)).toBeNull();
    expect(check('12.345', open)).toBeNull();
    expect(check('999999999999999.999', open)).toBeNull();
  });

  it('decimal places below 3 are enforced per program', () => {
    const one = program({ decimalPlaces: 1 });
    expect(check('10.5', one)).toBeNull();
    expect(check('10.50', one)).toBeNull();
    expect(check('10.55', one)).toBe('INVALID_PRECISION');
  });

  it('fractional multiples are exact', () => {
    const halves = program({ multiple: '0.5' });
    expect(check('7.5', halves)).toBeNull();
    expect(check('7.25', halves)).toBe('NOT_A_MULTIPLE');
    const steps = program({ multiple: '2.5' });
    expect(check('7.5', steps)).toBeNull();
    expect(check('7', steps)).toBe('NOT_A_MULTIPLE');
  });

  it('fractional limits are exact', () => {
    const p = program({ min: '0.5', max: '10.25' });
    expect(check('0.499', p)).toBe('BELOW_MINIMUM');
    expect(check('0.5', p)).toBeNull();
    expect(check('10.25', p)).toBeNull();
    expect(check('10.251', p)).toBe('ABOVE_MAXIMUM');
  });
});
