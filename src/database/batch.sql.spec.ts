import { BATCH_SQL, batchName, literal, LiteralError } from './batch.sql';

describe('literals of batched statements', () => {
  it.each([
    [null, 'NULL'],
    [undefined, 'NULL'],
    ['plain', "'plain'"],
    ["it's", "'it''s'"],
    ['back\\slash', "E'back\\\\slash'"],
    ["'); DROP TABLE wallet; --", "'''); DROP TABLE wallet; --'"],
    ['ünïcødé ✓', "'ünïcødé ✓'"],
    [42, "'42'"],
    [-0.5, "'-0.5'"],
    [true, "'true'"],
    [12345678901234567890n, "'12345678901234567890'"],
    [new Date('2026-12-01T10:20:30.456Z'), "'2026-12-01T10:20:30.456Z'"],
    [['1', '22'], `'{"1","22"}'`],
    [['a"b', 'c\\d', null], `E'{"a\\\\"b","c\\\\\\\\d",NULL}'`],
    [[], "'{}'"],
  ])('%p → %s', (value, expected) => {
    expect(literal(value)).toBe(expected);
  });

  it('refuses what a literal cannot carry', () => {
    expect(() => literal('nul\0byte')).toThrow(LiteralError);
    expect(() => literal(Number.NaN)).toThrow(LiteralError);
    expect(() => literal({ an: 'object' })).toThrow(LiteralError);
  });

  it('quotes statement names apart from the driver’s', () => {
    expect(batchName('redemption-redeem')).toBe('"b:redemption-redeem"');
    expect(batchName('odd"name')).toBe('"b:odd""name"');
    expect(BATCH_SQL.execute('s', [])).toBe('EXECUTE "b:s"');
    expect(BATCH_SQL.execute('s', [1, null, "x'"])).toBe(`EXECUTE "b:s"('1', NULL, 'x''')`);
    expect(BATCH_SQL.prepare('s', 'SELECT $1')).toBe('PREPARE "b:s" AS SELECT $1');
  });
});
