/**
 * Exact decimal numbers for points and money: an integer count of 10^-scale units held in a
 * BigInt. A float never touches a value on its way from the request to Postgres' numeric.
 */
export class Decimal {
  private constructor(
    readonly units: bigint,
    readonly scale: number,
  ) {}

  static readonly ZERO = new Decimal(0n, 0);

  private static readonly LITERAL = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
  private static readonly LITERAL_NO_INT = /^([+-]?)()\.(\d+)(?:[eE]([+-]?\d+))?$/;
  /** Literals longer than this are refused before any work is done on them. */
  private static readonly MAX_LITERAL = 64;
  private static readonly MAX_EXPONENT = 40;

  /** Parses a decimal literal (JSON number syntax, plus a leading '+' or '.5'); null if not one. */
  static parse(text: string): Decimal | null {
    const s = text.trim();
    if (s.length === 0 || s.length > Decimal.MAX_LITERAL) return null;
    const m = Decimal.LITERAL.exec(s) ?? Decimal.LITERAL_NO_INT.exec(s);
    if (!m) return null;
    const [, sign, intPart, fracPart = '', expPart] = m;
    const exp = expPart === undefined ? 0 : Number.parseInt(expPart, 10);
    if (!Number.isFinite(exp) || Math.abs(exp) > Decimal.MAX_EXPONENT) return null;
    let digits = `${intPart}${fracPart}`;
    let scale = fracPart.length - exp;
    if (scale < 0) {
      digits += '0'.repeat(-scale);
      scale = 0;
    }
    const units = BigInt(digits === '' ? '0' : digits);
    return new Decimal(sign === '-' ? -units : units, scale).normalized();
  }

  static of(value: string | number | bigint): Decimal {
    if (typeof value === 'bigint') return new Decimal(value, 0);
    const d = Decimal.parse(typeof value === 'number' ? Decimal.numberLiteral(value) : value);
    if (d === null) throw new RangeError(`not a decimal: ${String(value)}`);
    return d;
  }

  /** Integers only: any other number's exact value is not what the caller wrote. */
  private static numberLiteral(n: number): string {
    if (!Number.isSafeInteger(n)) throw new RangeError(`not an exact integer: ${n}`);
    return n.toString();
  }

  /** Drops trailing fractional zeros: 1.500 and 1.5 are the same value. */
  private normalized(): Decimal {
    let { units, scale } = this;
    while (scale > 0 && units % 10n === 0n) {
      units /= 10n;
      scale -= 1;
    }
    return units === this.units && scale === this.scale ? this : new Decimal(units, scale);
  }

  private rescaled(scale: number): bigint {
    return this.units * 10n ** BigInt(scale - this.scale);
  }

  /** Fractional digits needed to write the value exactly (1.50 → 1). */
  get decimalPlaces(): number {
    return this.scale;
  }

  add(other: Decimal): Decimal {
    const scale = Math.max(this.scale, other.scale);
    return new Decimal(this.rescaled(scale) + other.rescaled(scale), scale).normalized();
  }

  sub(other: Decimal): Decimal {
    return this.add(other.neg());
  }

  mul(other: Decimal): Decimal {
    return new Decimal(this.units * other.units, this.scale + other.scale).normalized();
  }

  neg(): Decimal {
    return new Decimal(-this.units, this.scale);
  }

  cmp(other: Decimal): -1 | 0 | 1 {
    const scale = Math.max(this.scale, other.scale);
    const a = this.rescaled(scale);
    const b = other.rescaled(scale);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  lt(other: Decimal): boolean {
    return this.cmp(other) < 0;
  }
  lte(other: Decimal): boolean {
    return this.cmp(other) <= 0;
  }
  gt(other: Decimal): boolean {
    return this.cmp(other) > 0;
  }
  gte(other: Decimal): boolean {
    return this.cmp(other) >= 0;
  }
  eq(other: Decimal): boolean {
    return this.cmp(other) === 0;
  }

  min(other: Decimal): Decimal {
    return this.lte(other) ? this : other;
  }

  isZero(): boolean {
    return this.units === 0n;
  }
  isPositive(): boolean {
    return this.units > 0n;
  }
  isNegative(): boolean {
    return this.units < 0n;
  }

  /** Exact divisibility: 7.5 is a multiple of 2.5, 7.5 is not a multiple of 2. */
  isMultipleOf(step: Decimal): boolean {
    if (step.isZero()) return true;
    const scale = Math.max(this.scale, step.scale);
    return this.rescaled(scale) % step.rescaled(scale) === 0n;
  }

  /** Integer digits, for range checks against numeric(p, s) columns. */
  get integerDigits(): number {
    const abs = this.units < 0n ? -this.units : this.units;
    const whole = abs / 10n ** BigInt(this.scale);
    return whole === 0n ? 0 : whole.toString().length;
  }

  toString(): string {
    return this.toStringRaw();
  }

  /** Fixed number of fractional digits, rounding half away from zero where digits are cut. */
  toFixed(places: number): string {
    if (places >= this.scale) {
      return new Decimal(this.rescaled(places), places).toStringRaw();
    }
    const factor = 10n ** BigInt(this.scale - places);
    const abs = this.units < 0n ? -this.units : this.units;
    let q = abs / factor;
    if ((abs % factor) * 2n >= factor) q += 1n;
    return new Decimal(this.units < 0n ? -q : q, places).toStringRaw();
  }

  private toStringRaw(): string {
    const negative = this.units < 0n;
    const digits = (negative ? -this.units : this.units).toString().padStart(this.scale + 1, '0');
    const int = digits.slice(0, digits.length - this.scale);
    const frac = digits.slice(digits.length - this.scale);
    return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
  }
}
