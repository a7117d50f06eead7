import { EventEmitter } from 'node:events';
import { askSecret, PromptCancelledError } from './secret-prompt';

/** A terminal's input as the prompt sees it, fed by the test. */
class FakeTerminal extends EventEmitter {
  raw: boolean[] = [];
  written: string[] = [];
  setRawMode(raw: boolean) {
    this.raw.push(raw);
  }
  setEncoding() {}
  resume() {}
  pause() {}
  type(...chunks: string[]) {
    for (const c of chunks) this.emit('data', c);
  }
  write(text: string) {
    this.written.push(text);
  }
}

describe('askSecret', () => {
  it('reads a line without echoing it, with backspace and escape sequences handled, and puts the terminal back', async () => {
    const t = new FakeTerminal();
    const answer = askSecret('Password: ', t, t);
    // "pa", a typo erased, an arrow key (ESC [ D), then the rest and Enter in one chunk.
    t.type('pa', 'x\u007f', '\u001b[D', 'ss wörd\r');
    await expect(answer).resolves.toBe('pass wörd');
    expect(t.written).toEqual(['Password: ', '\n']);
    expect(t.raw).toEqual([true, false]);
    expect(t.listenerCount('data')).toBe(0);
  });

  it('Ctrl-C, or Ctrl-D on an empty line, cancels', async () => {
    const t = new FakeTerminal();
    const interrupted = askSecret('Password: ', t, t);
    t.type('abc\u0003');
    await expect(interrupted).rejects.toBeInstanceOf(PromptCancelledError);
    const ended = askSecret('Password: ', t, t);
    t.type('\u0004');
    await expect(ended).rejects.toBeInstanceOf(PromptCancelledError);
    expect(t.raw).toEqual([true, false, true, false]);
  });
});
