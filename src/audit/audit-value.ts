import { Decimal } from '../common/decimal';

/**
 * A value as the audit log stores it (JSON): exact decimals as their text, times as ISO
 * text, secrets never (callers pass only what an operator may read back).
 */
export function auditValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Decimal) return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(auditValue);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, auditValue(v)]));
  }
  return value;
}
