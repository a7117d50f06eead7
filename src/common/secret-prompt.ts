/** The person at the terminal pressed Ctrl-C (or Ctrl-D on an empty line) at the prompt. */
export class PromptCancelledError extends Error {
  constructor() {
    super('cancelled at the password prompt');
  }
}

/** What a terminal's input offers (process.stdin when it is a TTY). */
export interface SecretInput {
  setRawMode(raw: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  on(event: 'data', listener: (chunk: string) => void): unknown;
  removeListener(event: 'data', listener: (chunk: string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

const ENTER = new Set(['\r', '\n']);
const INTERRUPT = '\u0003';
const END_OF_INPUT = '\u0004';
const ERASE = new Set(['\u007f', '\b']);
const ESCAPE = '\u001b';

/**
 * Asks for a secret on a terminal without showing it. The input goes into raw mode, so the
 * terminal echoes nothing and each key arrives as it is typed; the line is edited here
 * (backspace), and the terminal is put back however the prompt ends.
 */
export function askSecret(
  question: string,
  input: SecretInput,
  output: { write(text: string): unknown },
): Promise<string> {
  output.write(question);
  input.setEncoding('utf8');
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let typed: string[] = [];
    /** Inside an escape sequence (an arrow or function key): 'start' after ESC, 'body' after its [ or O. */
    let escape: 'start' | 'body' | undefined;
    const finish = (outcome: () => void) => {
      input.removeListener('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      for (const key of chunk) {
        if (escape === 'start') {
          escape = key === '[' || key === 'O' ? 'body' : undefined;
          continue;
        }
        if (escape === 'body') {
          if (key >= '@' && key <= '~') escape = undefined; // the sequence's final byte
          continue;
        }
        if (key === ESCAPE) {
          escape = 'start';
          continue;
        }
        if (ENTER.has(key)) return finish(() => resolve(typed.join('')));
        if (key === INTERRUPT || (key === END_OF_INPUT && typed.length === 0))
          return finish(() => reject(new PromptCancelledError()));
        if (ERASE.has(key)) typed = typed.slice(0, -1);
        // Other control keys are no part of a password.
        else if (key >= ' ' && key !== '\u007f') typed.push(key);
      }
    };
    input.on('data', onData);
  });
}
