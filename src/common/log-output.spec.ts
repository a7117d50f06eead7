import { LoggerService } from '@nestjs/common';
import { prettyLogs, withQuietStart } from './log-output';

describe('log output', () => {
  it('pretty on a terminal or when asked for; JSON lines otherwise', () => {
    expect(prettyLogs('auto', true)).toBe(true);
    expect(prettyLogs('auto', false)).toBe(false);
    expect(prettyLogs('pretty', false)).toBe(true);
    expect(prettyLogs('json', true)).toBe(false);
  });

  it("Nest's per-module and per-route start lines go to debug; every other line keeps its level", () => {
    const calls: string[] = [];
    const inner: LoggerService = {
      log: (m: unknown, ...p: unknown[]) => calls.push(`log ${String(m)} ${p.join(',')}`),
      warn: (m: unknown) => calls.push(`warn ${String(m)}`),
      error: (m: unknown, ...p: unknown[]) => calls.push(`error ${String(m)} ${p.join(',')}`),
      debug: (m: unknown, ...p: unknown[]) => calls.push(`debug ${String(m)} ${p.join(',')}`),
    };
    const quiet = withQuietStart(inner);
    quiet.log('AppModule dependencies initialized', 'InstanceLoader');
    quiet.log('Mapped {/health, GET} route', 'RouterExplorer');
    quiet.log('Starting Nest application...', 'NestFactory');
    quiet.log('serving on 127.0.0.1:3000', 'Main');
    quiet.error('boom', 'stack', 'ExceptionHandler');
    quiet.warn('careful');
    expect(calls).toEqual([
      'debug AppModule dependencies initialized InstanceLoader',
      'debug Mapped {/health, GET} route RouterExplorer',
      'log Starting Nest application... NestFactory',
      'log serving on 127.0.0.1:3000 Main',
      'error boom stack,ExceptionHandler',
      'warn careful',
    ]);
  });
});
