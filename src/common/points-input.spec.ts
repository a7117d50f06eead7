import { LosslessNumber } from 'lossless-json';
import { parsePoints, PointsInput } from './points-input';

const okText = (r: PointsInput): string => {
  if (!r.ok) throw new Error(`expected ok, got ${r.outcome}`);
  return r.points.toString();
};

describe('parsePoints', () => {
  describe('wire numbers (exact literals)', () => {
    it.each([
      ['10.5', '10.5'],
      ['1', '1'],
      ['12.345', '12.345'],
      ['0.001', '0.001'],
      ['1e2', '100'],
      ['1.500', '1.5'],
      ['12345678901234.125', '12345678901234.125'],
      ['999999999999999.999', '999999999999999.999'],
    ])('accepts %p as %p', (literal, expected) => {
      expect(okText(parsePoints(new LosslessNumber(literal)))).toBe(expected);
    });

    it('keeps precision a double would lose', () => {
      // 12345678901234.123 is not representable as a double
      expect(okText(parsePoints(new LosslessNumber('12345678901234.123')))).toBe(
        '12345678901234.123',
      );
    });

    it('more than 3 decimals is INVALID_PRECISION', () => {
      expect(parsePoints(new LosslessNumber('1.1111'))).toEqual({
        ok: false,
        outcome: 'INVALID_PRECISION',
      });
    });

    it.each(['0', '-1', '-0.5', '0.000', '1e309', '-1e309'])('%p is INVALID_POINTS', (literal) => {
      expect(parsePoints(new LosslessNumber(literal))).toEqual({
        ok: false,
        outcome: 'INVALID_POINTS',
      });
    });
  });

  describe('numeric strings', () => {
    it.each([
      ['10.5', '10.5'],
      ['  7 ', '7'],
      ['1e2', '100'],
      ['.5', '0.5'],
      ['+3', '3'],
      ['1000', '1000'],
    ])('accepts %p as %p', (text, expected) => {
      expect(okText(parsePoints(text))).toBe(expected);
    });

    it("'1.1111' is INVALID_PRECISION", () => {
      expect(parsePoints('1.1111')).toEqual({ ok: false, outcome: 'INVALID_PRECISION' });
      expect(parsePoints('0.0001')).toEqual({ ok: false, outcome: 'INVALID_PRECISION' });
    });

    it('trailing zeros do not count as precision', () => {
      expect(okText(parsePoints('1.5000'))).toBe('1.5');
    });

    it.each([
      '0',
      '-1',
      '-0',
      '',
      '   ',
      'NaN',
      'Infinity',
      '-Infinity',
      '1e309',
      'abc',
      '10 points',
      '0x10',
      '1,5',
    ])('%p is INVALID_POINTS', (text) => {
      expect(parsePoints(text)).toEqual({ ok: false, outcome: 'INVALID_POINTS' });
    });
  });

  describe('anything else', () => {
    it.each([
      ['true', true],
      ['false', false],
      ['{}', {}],
      ['[]', []],
      ['["10"]', ['10']],
      ['{value:10}', { value: 10 }],
      ['null', null],
      ['undefined', undefined],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
    ])('%s is INVALID_POINTS', (_label, value) => {
      expect(parsePoints(value)).toEqual({ ok: false, outcome: 'INVALID_POINTS' });
    });

    it('a safe-integer JS number is accepted', () => {
      expect(okText(parsePoints(25))).toBe('25');
    });
  });

  describe('range of numeric(18,3)', () => {
    it('10^16 does not fit: INVALID_POINTS', () => {
      expect(parsePoints(new LosslessNumber('10000000000000000'))).toEqual({
        ok: false,
        outcome: 'INVALID_POINTS',
      });
      expect(parsePoints('1e16')).toEqual({ ok: false, outcome: 'INVALID_POINTS' });
    });

    it('16 integer digits do not fit either', () => {
      expect(parsePoints('1000000000000000')).toEqual({ ok: false, outcome: 'INVALID_POINTS' });
    });

    it('the largest value numeric(18,3) holds is accepted', () => {
      expect(okText(parsePoints('999999999999999.999'))).toBe('999999999999999.999');
    });
  });
});
