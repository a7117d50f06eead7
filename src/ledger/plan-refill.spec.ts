import { Decimal } from '../common/decimal';
import { ReversibleAllocation } from './ledger.repository';
import { planRefill } from './plan-refill';

const NOW = new Date('2026-06-01T12:00:00Z');
const alloc = (
  id: number,
  open: string,
  lotExpiresAt: Date | null = null,
): ReversibleAllocation => ({
  id,
  lotId: id * 10,
  open: Decimal.of(open),
  lotExpiresAt,
});
const plain = (plan: ReturnType<typeof planRefill>) => ({
  restorations: plan.restorations.map((r) => ({
    allocationId: r.allocationId,
    lotId: r.lotId,
    restored: r.restored.toString(),
    expired: r.expired.toString(),
  })),
  restored: plan.restored.toString(),
  expired: plan.expired.toString(),
});

describe('planRefill', () => {
  it('gives back to the allocations in the order given (latest-consumed first)', () => {
    const plan = planRefill([alloc(3, '5'), alloc(2, '10'), alloc(1, '10')], Decimal.of('12'), NOW);
    expect(plain(plan)).toEqual({
      restorations: [
        { allocationId: 3, lotId: 30, restored: '5', expired: '0' },
        { allocationId: 2, lotId: 20, restored: '7', expired: '0' },
      ],
      restored: '12',
      expired: '0',
    });
  });

  it('counts the part of a lapsed lot as expired, not restored', () => {
    const lapsed = new Date(NOW.getTime() - 1);
    const plan = plain(planRefill([alloc(2, '4', lapsed), alloc(1, '10')], Decimal.of('6'), NOW));
    expect(plan.restorations.map((r) => [r.lotId, r.restored, r.expired])).toEqual([
      [20, '0', '4'],
      [10, '2', '0'],
    ]);
    expect([plan.restored, plan.expired]).toEqual(['2', '4']);
  });

  it('treats a lot lapsing exactly now as lapsed, one lapsing later as live', () => {
    const plan = planRefill(
      [alloc(2, '1', NOW), alloc(1, '1', new Date(NOW.getTime() + 1))],
      Decimal.of('2'),
      NOW,
    );
    expect(plain(plan).restorations.map((r) => [r.restored, r.expired])).toEqual([
      ['0', '1'],
      ['1', '0'],
    ]);
  });

  it('is exact with fractional points', () => {
    const plan = planRefill([alloc(2, '0.001'), alloc(1, '0.002')], Decimal.of('0.003'), NOW);
    expect(plain(plan).restored).toBe('0.003');
  });

  it('refuses to plan more than the allocations hold', () => {
    expect(() => planRefill([alloc(1, '1')], Decimal.of('1.001'), NOW)).toThrow(/less than/);
  });
});
