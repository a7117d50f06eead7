import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { DISTRIBUTED_TABLES } from './table-classes';

/*
 * Every statement that touches a table distributed by org (docs/scaling.md) names the org of
 * each such table it reads or writes, so that a distributed database can route it to one
 * shard. The statements are found in the source as they are written: every string or
 * template literal that starts like a statement, its `${…}` parts left out. A statement
 * that must span orgs (a job finding the orgs that have work) says so with a comment in its
 * text: `-- all orgs: <why>`.
 */

const SRC = join(__dirname, '..');
const STATEMENT_START = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\s/;
const ALL_ORGS = /--\s*all orgs:\s*\S/;
/** A table as a statement names it: FROM/JOIN/INTO/UPDATE, then an optional alias. */
const TABLE_REFERENCE =
  /\b(FROM|JOIN|INTO|UPDATE)\s+([a-z_]+)(?:\s+(?:AS\s+)?(?!ON\b|WHERE\b|SET\b|USING\b|JOIN\b|LEFT\b|CROSS\b|INNER\b|ORDER\b|GROUP\b|LIMIT\b|VALUES\b|SELECT\b|WINDOW\b|FOR\b|RETURNING\b|DEFAULT\b)([a-z_][a-z0-9_]*))?/g;

interface Statement {
  file: string;
  line: number;
  text: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The literal text of a string or template literal, `${…}` parts left out. */
function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  }
  return undefined;
}

function statementsIn(file: string): Statement[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const found: Statement[] = [];
  const visit = (node: ts.Node): void => {
    const text = literalText(node);
    if (text !== undefined && STATEMENT_START.test(text)) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      found.push({ file: relative(SRC, file), line: line + 1, text });
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The distributed tables a statement names without naming their org. */
export function unroutedTables(text: string): string[] {
  if (ALL_ORGS.test(text)) return [];
  const missing: string[] = [];
  const references = [...text.matchAll(TABLE_REFERENCE)];
  for (const match of references) {
    const [, keyword, table, alias] = match;
    if (!DISTRIBUTED_TABLES.has(table)) continue;
    // An INSERT names the org in its column list.
    if (keyword === 'INTO') {
      const columns = /^[^(]*\(([^)]*)\)/.exec(text.slice(match.index + match[0].length));
      if (columns && /\borg_id\b/.test(columns[1])) continue;
    }
    if (new RegExp(`\\b${alias ?? table}\\.org_id\\b`).test(text)) continue;
    // A statement of one distributed table may name its org unqualified (two would make
    // the name ambiguous, which PostgreSQL refuses).
    const distributed = new Set(
      references.map((r) => r[2]).filter((t) => DISTRIBUTED_TABLES.has(t)),
    );
    if (distributed.size === 1 && /\borg_id\b/.test(text)) continue;
    missing.push(alias ? `${table} ${alias}` : table);
  }
  return missing;
}

describe('every statement on a distributed table names its org', () => {
  const statements = sourceFiles(SRC).flatMap(statementsIn);

  it('finds the statements of the source (a sanity check of the scan)', () => {
    expect(statements.length).toBeGreaterThan(80);
    expect(statements.some((s) => s.file.endsWith('redemption.sql.ts'))).toBe(true);
  });

  it('names the org of every distributed table each statement reads or writes', () => {
    const unrouted = statements
      .map((s) => ({ at: `${s.file}:${s.line}`, tables: unroutedTables(s.text) }))
      .filter((s) => s.tables.length > 0);
    expect(unrouted).toEqual([]);
  });

  it('has no statement a distributed database refuses: now() in ON CONFLICT … DO UPDATE SET, a subquery in INSERT … VALUES', () => {
    const refused = statements.filter(
      (s) =>
        /DO\s+UPDATE\s+SET[\s\S]*\bnow\(\)/i.test(s.text) ||
        /\bVALUES\s*\((?:[^()]|\([^()]*\))*\(\s*SELECT\b/i.test(s.text),
    );
    expect(refused.map((s) => `${s.file}:${s.line}`)).toEqual([]);
  });

  it('knows a routed statement from an unrouted one', () => {
    expect(unroutedTables('SELECT id FROM wallet WHERE id = $1')).toEqual(['wallet']);
    expect(unroutedTables('SELECT id FROM wallet WHERE org_id = $1 AND id = $2')).toEqual([]);
    expect(
      unroutedTables(
        'SELECT c.id FROM customer c JOIN wallet w ON w.customer_id = c.id WHERE c.org_id = $1',
      ),
    ).toEqual(['wallet w']);
    expect(unroutedTables('SELECT id FROM org WHERE code = $1')).toEqual([]);
    expect(unroutedTables('INSERT INTO lot AS l (org_id, wallet_id) VALUES ($1, $2)')).toEqual([]);
    expect(
      unroutedTables('UPDATE lot SET remaining = 0 FROM x WHERE lot.id = x.id AND x.org_id = $1'),
    ).toEqual([]);
    expect(
      unroutedTables(
        'UPDATE lot SET remaining = 0 FROM wallet w WHERE lot.wallet_id = w.id AND w.org_id = $1',
      ),
    ).toEqual(['lot']);
    expect(
      unroutedTables('SELECT DISTINCT org_id FROM lot -- all orgs: finds orgs with work'),
    ).toEqual([]);
  });
});
