import { Decimal } from '../common/decimal';
import { checkReversal, MAX_REVERSALS_PER_REDEMPTION } from './reversal-rules';

const d = (text: string) => Decimal.of(text);
const whole = { redeemMultipleOf: d('1') };
const fives = { redeemMultipleOf: d('5') };
const free = { redeemMultipleOf: null };
const left = (points: string, reversals = 0) => ({ left: d(points), reversals });

describe('checkReversal', () => {
  it('refuses a fraction of a step on a whole-point program, in any spelling', () => {
    expect(checkReversal(d('0.001'), left('20'), whole)).toBe('REVERSAL_NOT_A_MULTIPLE');
    expect(checkReversal(d('1e-3'), left('20'), whole)).toBe('REVERSAL_NOT_A_MULTIPLE');
    expect(checkReversal(d('7.5'), left('20'), whole)).toBe('REVERSAL_NOT_A_MULTIPLE');
  });

  it('takes whole steps that leave at least one step behind', () => {
    expect(checkReversal(d('7'), left('20'), whole)).toBeNull();
    expect(checkReversal(d('10'), left('20'), fives)).toBeNull();
    expect(checkReversal(d('15'), left('20'), fives)).toBeNull();
  });

  it('always takes the rest at once, even when the program changed since the redemption', () => {
    expect(checkReversal(d('7'), left('7'), fives)).toBeNull();
    expect(checkReversal(d('0.5'), left('0.5'), whole)).toBeNull();
  });

  it('refuses a partial reversal that would leave less than one step', () => {
    // 7 redeemed before the step became 5: reversing 5 would leave 2, which no step fits.
    expect(checkReversal(d('5'), left('7'), fives)).toBe('REVERSAL_NOT_A_MULTIPLE');
  });

  it('lets a program without a step reverse any amount it can express', () => {
    expect(checkReversal(d('0.001'), left('20'), free)).toBeNull();
  });

  it('never reverses more than is left, nor a redemption already fully reversed', () => {
    expect(checkReversal(d('21'), left('20'), whole)).toBe('REVERSAL_EXCEEDS_REDEMPTION');
    expect(checkReversal(d('1'), left('0'), whole)).toBe('ALREADY_FULLY_REVERSED');
  });

  it(`bounds a redemption to ${MAX_REVERSALS_PER_REDEMPTION} reversals, the last one the rest`, () => {
    const max = MAX_REVERSALS_PER_REDEMPTION;
    expect(checkReversal(d('1'), left('50', max - 2), whole)).toBeNull();
    expect(checkReversal(d('1'), left('50', max - 1), whole)).toBe('TOO_MANY_REVERSALS');
    expect(checkReversal(d('50'), left('50', max - 1), whole)).toBeNull();
    expect(checkReversal(d('50'), left('50', max), whole)).toBe('TOO_MANY_REVERSALS');
  });
});
