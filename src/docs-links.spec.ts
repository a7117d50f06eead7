import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/*
 * Every relative link in README.md and docs/ names a file that exists: the README sends a
 * newcomer to docs/ for the rest, and a link that moved with a document must not dangle.
 */

const ROOT = resolve(__dirname, '..');
const documents = [
  join(ROOT, 'README.md'),
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(ROOT, 'docs', name)),
];

/** Markdown links and images: `[text](target)`, outside code spans and fences. */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith('#'));
}

describe('documentation links', () => {
  it('reads the README and the docs it sends readers to', () => {
    expect(documents.map((d) => relative(ROOT, d))).toEqual(
      expect.arrayContaining(['README.md', 'docs/api.md', 'docs/configuration.md']),
    );
    expect(relativeLinks(readFileSync(join(ROOT, 'README.md'), 'utf8')).length).toBeGreaterThan(5);
  });

  it.each(documents.map((d) => [relative(ROOT, d), d]))(
    'every relative link in %s resolves',
    (_name, path) => {
      const broken = relativeLinks(readFileSync(path, 'utf8')).filter(
        (target) => !existsSync(resolve(dirname(path), decodeURI(target.split('#')[0]))),
      );
      expect(broken).toEqual([]);
    },
  );
});
