import { Decimal } from '../common/decimal';
import { allocate, Allocation } from './allocate';

const lot = (id: number, remaining: string) => ({ id, remaining: Decimal.of(remaining) });
const plain = (allocations: Allocation[] | null) =>
  allocations?.map((a) => ({ lotId: a.lotId, points: a.points.toString() })) ?? null;
const total = (allocations: Allocation[]) =>
  allocations.reduce((sum, a) => sum.add(a.points), Decimal.ZERO).toString();

describe('allocate', () => {
  it('takes from one lot when it holds enough', () => {
    expect(plain(allocate([lot(1, '10'), lot(2, '10')], Decimal.of('4')))).toEqual([
      { lotId: 1, points: '4' },
    ]);
  });

  it('spans lots in the order given and leaves later lots untouched', () => {
    const result = allocate([lot(1, '5'), lot(2, '10'), lot(3, '10')], Decimal.of('12'));
    expect(plain(result)).toEqual([
      { lotId: 1, points: '5' },
      { lotId: 2, points: '7' },
    ]);
  });

  it('keeps the caller order (it does not sort by id or size)', () => {
    const result = allocate([lot(9, '1'), lot(2, '100'), lot(10, '3')], Decimal.of('2'));
    expect(plain(result)).toEqual([
      { lotId: 9, points: '1' },
      { lotId: 2, points: '1' },
    ]);
  });

  it('an exact fit empties every lot used', () => {
    const result = allocate([lot(1, '5'), lot(2, '7')], Decimal.of('12'));
    expect(plain(result)).toEqual([
      { lotId: 1, points: '5' },
      { lotId: 2, points: '7' },
    ]);
  });

  it('an exact fit on the first lot does not touch the next', () => {
    expect(plain(allocate([lot(1, '5'), lot(2, '7')], Decimal.of('5')))).toEqual([
      { lotId: 1, points: '5' },
    ]);
  });

  it('returns null when the lots do not hold enough', () => {
    expect(allocate([lot(1, '5')], Decimal.of('6'))).toBeNull();
    expect(allocate([lot(1, '5'), lot(2, '0.999')], Decimal.of('6'))).toBeNull();
    expect(allocate([], Decimal.of('0.001'))).toBeNull();
  });

  it('skips lots with nothing left', () => {
    const result = allocate([lot(1, '0'), lot(2, '3'), lot(3, '0'), lot(4, '4')], Decimal.of('5'));
    expect(plain(result)).toEqual([
      { lotId: 2, points: '3' },
      { lotId: 4, points: '2' },
    ]);
  });

  it('works exactly with fractional lots', () => {
    const result = allocate(
      [lot(1, '0.1'), lot(2, '0.1'), lot(3, '0.1'), lot(4, '0.1')],
      Decimal.of('0.3'),
    );
    expect(plain(result)).toEqual([
      { lotId: 1, points: '0.1' },
      { lotId: 2, points: '0.1' },
      { lotId: 3, points: '0.1' },
    ]);
    expect(total(result!)).toBe('0.3');
  });

  it('the allocations always sum to the points asked for', () => {
    const lots = [lot(1, '12.345'), lot(2, '0.005'), lot(3, '987.65')];
    for (const ask of ['0.001', '12.345', '12.346', '12.35', '500.5', '1000']) {
      const result = allocate(lots, Decimal.of(ask));
      expect(result).not.toBeNull();
      expect(total(result!)).toBe(Decimal.of(ask).toString());
      for (const a of result!) expect(a.points.isPositive()).toBe(true);
    }
    expect(allocate(lots, Decimal.of('1000.001'))).toBeNull();
  });
});
