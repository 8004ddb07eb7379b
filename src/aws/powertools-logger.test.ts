import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPowertoolsLogger, powertoolsLogger } from './powertools-logger';

// Powertools writes JSON lines to stdout, warnings and errors to stderr (CloudWatch Logs reads both); the test reads
// what it wrote, in order.
let lines: Array<Record<string, unknown>>;
beforeEach(() => {
  lines = [];
  const capture = (chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});
afterEach(() => vi.restoreAllMocks());

describe('our Logger over Powertools', () => {
  it('writes structured JSON with the service, level, message and fields', () => {
    const log = powertoolsLogger(createPowertoolsLogger('vetline-worker', 'info'));
    log.info('screening drafted', { screeningId: 'scr_1', durationMs: 1200 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'INFO',
      message: 'screening drafted',
      service: 'vetline-worker',
      screeningId: 'scr_1',
      durationMs: 1200,
    });
  });

  it('masks fields that name secrets, however deep, as the local logger does', () => {
    const log = powertoolsLogger(createPowertoolsLogger('vetline-api', 'debug'));
    log.warn('llm call failed', {
      apiKey: 'sk-live-abc',
      request: { headers: { authorization: 'Bearer vtl.org.secret' } },
      error: new Error('boom'),
    });
    const text = JSON.stringify(lines);
    expect(text).not.toContain('sk-live-abc');
    expect(text).not.toContain('vtl.org.secret');
    expect(lines[0]).toMatchObject({
      apiKey: '[redacted]',
      request: { headers: { authorization: '[redacted]' } },
    });
  });

  it('gives children their ids on every line, and keeps the parent’s lines free of them', () => {
    const parent = powertoolsLogger(createPowertoolsLogger('vetline-worker', 'info'));
    const child = parent.child({ screeningId: 'scr_9', orgId: 'org_2', secretToken: 'x' });
    child.info('job skipped');
    child.error('screening failed', { reason: 'llm_timeout' });
    parent.info('batch done');
    expect(lines[0]).toMatchObject({ screeningId: 'scr_9', orgId: 'org_2', secretToken: '[redacted]' });
    expect(lines[1]).toMatchObject({ level: 'ERROR', screeningId: 'scr_9', reason: 'llm_timeout' });
    expect(lines[2]).not.toHaveProperty('screeningId');
  });

  it('honours the configured level, including silent', () => {
    powertoolsLogger(createPowertoolsLogger('vetline-api', 'warn')).info('not shown');
    powertoolsLogger(createPowertoolsLogger('vetline-api', 'silent')).error('not shown either');
    expect(lines).toHaveLength(0);
  });
});
