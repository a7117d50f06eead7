import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/*
 * The boundaries of docs/architecture.md, checked on the source: SQL only in repositories
 * (and *.sql.ts beside them), the Capillary wire format only at the edge, every balance
 * movement in the ledger module, modules that export services.
 */

const SRC = __dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [path] : [];
  });
}

const files = sourceFiles(SRC).map((path) => ({
  path: relative(SRC, path),
  text: readFileSync(path, 'utf8'),
}));

/** A statement's opening words, at the start of a string or template literal. */
const SQL =
  /['`"]\s*(SELECT|INSERT\s+INTO|UPDATE\s+\w+(\s+\w+)?\s+SET|DELETE\s+FROM|WITH\s+\w+\s+AS\s*\(|BEGIN|COMMIT|ROLLBACK|ALTER\s+ROLE|CREATE\s+DATABASE)\b/g;

/** Where SQL statements start in a file, as `path:line: words`. */
const statementsIn = (f: { path: string; text: string }): string[] =>
  [...f.text.matchAll(SQL)].map((m) => {
    const line = f.text.slice(0, m.index).split('\n').length;
    return `${f.path}:${line}: ${m[1]}`;
  });

describe('architecture', () => {
  it('the SQL detector finds the statements the repositories hold (it is not blind)', () => {
    const found = files.filter((f) => f.path.endsWith('.repository.ts')).flatMap(statementsIn);
    expect(found.length).toBeGreaterThan(50);
  });

  it('SQL statements live only in *.repository.ts and *.sql.ts files', () => {
    const outside = files
      .filter((f) => !/\.(repository|sql)\.ts$/.test(f.path))
      .flatMap(statementsIn);
    expect(outside).toEqual([]);
  });

  it('use cases and repositories know nothing of the wire: no capillary/ import', () => {
    const inner = files.filter((f) => /\.(service|usecase|repository)\.ts$/.test(f.path));
    expect(inner.length).toBeGreaterThan(10);
    const offending = inner
      .filter((f) => /from '\.\.\/capillary\//.test(f.text) || /from '\.\/capillary\//.test(f.text))
      .map((f) => f.path);
    expect(offending).toEqual([]);
  });

  it('use cases throw no HTTP: no HttpStatus, ApiError or HttpException in services', () => {
    const offending = files
      .filter((f) => /\.(service|usecase)\.ts$/.test(f.path))
      .filter((f) => /\b(HttpStatus|ApiError|HttpException)\b/.test(f.text))
      .map((f) => f.path);
    expect(offending).toEqual([]);
  });

  it('only ledger/ writes wallets, lots, ledger rows and allocations', () => {
    const write =
      /\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(wallet|lot|ledger_entry|redemption_allocation)\b/;
    const writers = files.filter((f) => write.test(f.text)).map((f) => f.path);
    expect(writers.length).toBeGreaterThan(0);
    expect(writers.filter((p) => !p.startsWith('ledger/'))).toEqual([]);
  });

  it('the write detector sees every movement of the ledger (it is not blind)', () => {
    const movements = files.filter((f) => f.path.startsWith('ledger/movements/'));
    expect(movements.map((f) => f.path.replace('ledger/movements/', '')).sort()).toEqual([
      'credit.sql.ts',
      'expire.sql.ts',
      'refill.sql.ts',
      'spend.sql.ts',
    ]);
    for (const f of movements) expect(f.text).toMatch(/UPDATE wallet SET/);
  });

  it('@Global() only for infrastructure (config, database, clock, metrics, rate limits)', () => {
    const globals = files.filter((f) => /@Global\(\)/.test(f.text)).map((f) => f.path);
    expect(globals.sort()).toEqual([
      'common/common.module.ts',
      'database/database.module.ts',
      'metrics/metrics.module.ts',
      'rate-limit/rate-limit.module.ts',
    ]);
  });

  it('modules export services, never a repository', () => {
    const modules = files.filter((f) => f.path.endsWith('.module.ts'));
    expect(modules.length).toBeGreaterThan(10);
    const offending = modules
      .filter((f) => /exports:\s*\[[^\]]*Repository/.test(f.text))
      .map((f) => f.path);
    expect(offending).toEqual([]);
  });

  it('one way to roll back with a refusal: Rollback is defined once', () => {
    const defined = files.filter((f) => /class Rollback\b/.test(f.text)).map((f) => f.path);
    expect(defined).toEqual(['common/outcome.ts']);
  });
});
