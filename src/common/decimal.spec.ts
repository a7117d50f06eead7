import { Decimal } from './decimal';

const d = (s: string): Decimal => {
  const v = Decimal.parse(s);
  if (v === null) throw new Error(`test literal ${s} did not parse`);
  return v;
};

describe('Decimal.parse', () => {
  it.each([
    ['10.5', '10.5'],
    ['0', '0'],
    ['1000', '1000'],
    ['12.345', '12.345'],
    ['+3', '3'],
    ['.5', '0.5'],
    ['-.25', '-0.25'],
    ['1.500', '1.5'],
    ['100.000', '100'],
    ['0.0010', '0.001'],
    ['  7  ', '7'],
    ['12345678901234.125', '12345678901234.125'],
  ])('parses %p exactly as %p', (literal, expected) => {
    expect(d(literal).toString()).toBe(expected);
  });

  it.each([
    ['1e2', '100'],
    ['1E2', '100'],
    ['2e+3', '2000'],
    ['1.5e-2', '0.015'],
    ['12345e-3', '12.345'],
    ['-2.5E1', '-25'],
    ['.5e1', '5'],
    ['1e40', `1${'0'.repeat(40)}`],
    ['1e-40', `0.${'0'.repeat(39)}1`],
  ])('parses the exponent form %p as %p', (literal, expected) => {
    expect(d(literal).toString()).toBe(expected);
  });

  it("'-0' is plain zero: not negative, printed without a sign", () => {
    const z = d('-0');
    expect(z.isZero()).toBe(true);
    expect(z.isNegative()).toBe(false);
    expect(z.isPositive()).toBe(false);
    expect(z.toString()).toBe('0');
    expect(z.eq(Decimal.ZERO)).toBe(true);
    expect(d('-0.000').toString()).toBe('0');
  });

  it.each([
    '',
    '   ',
    'abc',
    'NaN',
    'Infinity',
    '-Infinity',
    '0x10',
    '1,5',
    '1..2',
    '--1',
    '+-1',
    '1e',
    'e5',
    '.',
    '-',
    '1.2.3',
    '1 000',
    '10.5abc',
  ])('rejects the non-number %p', (literal) => {
    expect(Decimal.parse(literal)).toBeNull();
  });

  it('rejects exponents a double would overflow or that would blow up the digits', () => {
    expect(Decimal.parse('1e309')).toBeNull();
    expect(Decimal.parse('-1e309')).toBeNull();
    expect(Decimal.parse('1e-400')).toBeNull();
    expect(Decimal.parse('1e999999999')).toBeNull();
    expect(Decimal.parse('1e41')).toBeNull();
  });

  it('rejects very long literals before doing work on them', () => {
    expect(Decimal.parse('1'.repeat(65))).toBeNull();
    expect(Decimal.parse(`0.${'1'.repeat(70)}`)).toBeNull();
    expect(Decimal.parse('9'.repeat(100_000))).toBeNull();
    // the limit is generous enough for any real amount
    expect(Decimal.parse('1'.repeat(60))?.toString()).toBe('1'.repeat(60));
  });
});

describe('Decimal.of', () => {
  it('takes strings, safe integers and bigints', () => {
    expect(Decimal.of('10.50').toString()).toBe('10.5');
    expect(Decimal.of(42).toString()).toBe('42');
    expect(Decimal.of(-7).toString()).toBe('-7');
    expect(Decimal.of(123456789012345678901234567890n).toString()).toBe(
      '123456789012345678901234567890',
    );
  });

  it('refuses what is not an exact decimal', () => {
    expect(() => Decimal.of('abc')).toThrow(RangeError);
    expect(() => Decimal.of(0.1)).toThrow(RangeError);
    expect(() => Decimal.of(Number.NaN)).toThrow(RangeError);
    expect(() => Decimal.of(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => Decimal.of(2 ** 60)).toThrow(RangeError);
  });
});

describe('Decimal arithmetic is exact', () => {
  it('0.1 added ten times is exactly 1', () => {
    let sum = Decimal.ZERO;
    for (let i = 0; i < 10; i++) sum = sum.add(d('0.1'));
    expect(sum.toString()).toBe('1');
    expect(sum.eq(d('1'))).toBe(true);
    expect(sum.decimalPlaces).toBe(0);
  });

  it('0.1 + 0.2 is 0.3', () => {
    expect(d('0.1').add(d('0.2')).toString()).toBe('0.3');
    expect(d('0.1').add(d('0.2')).eq(d('0.3'))).toBe(true);
  });

  it('adds and subtracts across scales', () => {
    expect(d('1000').sub(d('12.345')).toString()).toBe('987.655');
    expect(d('12345678901234.125').add(d('0.001')).toString()).toBe('12345678901234.126');
    expect(d('999999999999999.999').add(d('0.001')).toString()).toBe('1000000000000000');
    expect(d('1.5').sub(d('1.5')).toString()).toBe('0');
    expect(d('1').sub(d('1.25')).toString()).toBe('-0.25');
    expect(d('-2.5').add(d('2.5')).isZero()).toBe(true);
  });

  it('multiplies exactly', () => {
    expect(d('0.1').mul(d('0.2')).toString()).toBe('0.02');
    expect(d('12.345').mul(d('0.5')).toString()).toBe('6.1725');
    expect(d('10.5').mul(d('1')).toString()).toBe('10.5');
    expect(d('1.1').mul(d('1.1')).toString()).toBe('1.21');
    expect(d('-3').mul(d('2.5')).toString()).toBe('-7.5');
    expect(d('123456789.123').mul(d('1000')).toString()).toBe('123456789123');
  });

  it('neg flips the sign', () => {
    expect(d('2.5').neg().toString()).toBe('-2.5');
    expect(d('-2.5').neg().toString()).toBe('2.5');
  });
});

describe('Decimal comparison', () => {
  it('compares numerically, not textually, whatever the scale', () => {
    expect(d('1.50').cmp(d('1.5'))).toBe(0);
    expect(d('2').cmp(d('10'))).toBe(-1);
    expect(d('10').cmp(d('2'))).toBe(1);
    expect(d('-1').cmp(d('0.5'))).toBe(-1);
    expect(d('0.001').cmp(d('0.0009'))).toBe(1);
    expect(d('-0').cmp(d('0'))).toBe(0);
  });

  it('has consistent helpers', () => {
    expect(d('1').lt(d('1.001'))).toBe(true);
    expect(d('1').lte(d('1.000'))).toBe(true);
    expect(d('1.001').gt(d('1'))).toBe(true);
    expect(d('1').gte(d('1'))).toBe(true);
    expect(d('1').gt(d('1'))).toBe(false);
    expect(d('3').min(d('2.5')).toString()).toBe('2.5');
    expect(d('2.5').min(d('3')).toString()).toBe('2.5');
  });

  it('classifies the sign', () => {
    expect(d('0.001').isPositive()).toBe(true);
    expect(d('-0.001').isNegative()).toBe(true);
    expect(d('0.000').isZero()).toBe(true);
  });
});

describe('Decimal.isMultipleOf', () => {
  it.each([
    ['7.5', '2.5', true],
    ['7.5', '2', false],
    ['10', '1', true],
    ['10.5', '1', false],
    ['0.3', '0.1', true],
    ['10', '0.001', true],
    ['10.0005', '0.001', false],
    ['100', '25', true],
    ['110', '25', false],
    ['1.5', '0.5', true],
  ])('%p is a multiple of %p: %p', (value, step, expected) => {
    expect(d(value).isMultipleOf(d(step))).toBe(expected);
  });
});

describe('Decimal digits', () => {
  it.each([
    ['1.50', 1],
    ['100', 0],
    ['0.001', 3],
    ['1e-3', 3],
    ['12.345', 3],
    ['1.2340', 3],
  ])('decimalPlaces of %p is %p', (value, places) => {
    expect(d(value).decimalPlaces).toBe(places);
  });

  it.each([
    ['0.5', 0],
    ['0', 0],
    ['9', 1],
    ['999.999', 3],
    ['-12.5', 2],
    ['1000', 4],
    ['1e15', 16],
    ['999999999999999.999', 15],
  ])('integerDigits of %p is %p', (value, digits) => {
    expect(d(value).integerDigits).toBe(digits);
  });
});

describe('Decimal.toFixed', () => {
  it.each([
    ['1.5', 3, '1.500'],
    ['10', 2, '10.00'],
    ['1.2345', 3, '1.235'],
    ['1.2344', 3, '1.234'],
    ['-1.2345', 3, '-1.235'],
    ['-1.2344', 3, '-1.234'],
    ['0.0005', 3, '0.001'],
    ['0.0004', 3, '0.000'],
    ['2.5', 0, '3'],
    ['2.4', 0, '2'],
    ['-2.5', 0, '-3'],
    ['9.9995', 3, '10.000'],
    ['12.345', 3, '12.345'],
  ])('%p to %p places is %p', (value, places, expected) => {
    expect(d(value).toFixed(places)).toBe(expected);
  });
});
