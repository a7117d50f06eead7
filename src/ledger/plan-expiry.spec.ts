import { Decimal } from '../common/decimal';
import { planExpiry } from './plan-expiry';
import { OpenLot } from './wallet';

const NOW = new Date('2026-06-01T12:00:00Z');
const lot = (id: number, expiresAt: Date | null): OpenLot => ({
  id,
  remaining: Decimal.of('1'),
  expiresAt,
});
const ids = (lots: OpenLot[]) => lots.map((l) => l.id);

describe('planExpiry', () => {
  it('splits lapsed from live lots and keeps the spending order of each', () => {
    const lots = [
      lot(1, new Date(NOW.getTime() - 2000)),
      lot(2, new Date(NOW.getTime() - 1000)),
      lot(3, new Date(NOW.getTime() + 1000)),
      lot(4, null),
    ];
    const { lapsed, live } = planExpiry(lots, NOW);
    expect(ids(lapsed)).toEqual([1, 2]);
    expect(ids(live)).toEqual([3, 4]);
  });

  it('counts a lot lapsing exactly now as lapsed', () => {
    expect(ids(planExpiry([lot(1, NOW)], NOW).lapsed)).toEqual([1]);
  });

  it('never lapses a lot without an expiry', () => {
    expect(planExpiry([lot(1, null)], new Date(8.64e15)).lapsed).toEqual([]);
  });

  it('leaves nothing to write off when nothing has lapsed', () => {
    const { lapsed, live } = planExpiry([lot(1, new Date(NOW.getTime() + 1))], NOW);
    expect(lapsed).toEqual([]);
    expect(ids(live)).toEqual([1]);
  });
});
