// The parser thread: the same answers as parseJobspec on this thread, and the bounds that keep a
// jobspec from holding the server (size, time, queue).
import { afterAll, describe, expect, it } from 'vitest';
import { JobspecError } from '../errors.js';
import { parseJobspec } from '../job.js';
import {
  closeJobspecParserThread,
  JobspecParserBusyError,
  MAX_JOBSPEC_BYTES,
  parseJobspecOffThread,
} from './parser-thread.js';

afterAll(() => closeJobspecParserThread());

const JOB = `
variable "n" {
  default = 2
}
job "web" {
  group "g" {
    count = var.n
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["\${NOMAD_ALLOC_ID}"]
      }
    }
  }
}
`;

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error,
  );
}

describe('parseJobspecOffThread', () => {
  it('answers as parseJobspec does, job and refusal alike', async () => {
    const variables = 'n = 5';
    expect(await parseJobspecOffThread(JOB, { variables })).toEqual(
      await parseJobspec(JOB, { variables }),
    );
    const refused = await rejection(parseJobspecOffThread('job "x" {'));
    expect(refused).toBeInstanceOf(JobspecError);
    expect(refused.message).toContain('input.hcl:1,9-10: Unclosed configuration block');
  }, 60_000);

  it('refuses a jobspec over the size limit without parsing it', async () => {
    const huge = `job "x" {\n meta = { a = "${'x'.repeat(MAX_JOBSPEC_BYTES)}" }\n}`;
    const refused = await rejection(parseJobspecOffThread(huge));
    expect(refused).toBeInstanceOf(JobspecError);
    expect(refused.message).toContain(`more than the limit of ${MAX_JOBSPEC_BYTES}`);
  });

  it('stops a parse over its time limit and parses the next on a new thread', async () => {
    // A valid jobspec, only large: thousands of meta entries, each a function call to evaluate.
    const entries = Array.from({ length: 3000 }, (_, i) => `  k${i} = "\${upper("v${i}")}"`);
    const big = `job "x" {\n meta {\n${entries.join('\n')}\n }\n}`;
    const refused = await rejection(parseJobspecOffThread(big, { timeoutMs: 5 }));
    expect(refused).toBeInstanceOf(JobspecError);
    expect(refused.message).toBe('the jobspec took more than 5 ms to parse');
    expect((await parseJobspecOffThread(JOB))['ID']).toBe('web');
  }, 60_000);

  it('refuses a jobspec that overflows the parser, and parses the next on a new thread', async () => {
    // 50,000 nested conditionals: no brackets, but as deep a syntax tree as 50,000 of them.
    const chain = Array.from({ length: 50_000 }, () => 'true ? 1 :').join(' ');
    const refused = await rejection(parseJobspecOffThread(`job "x" {\n priority = ${chain} 2\n}`));
    expect(refused).toBeInstanceOf(JobspecError);
    expect(refused.message).toMatch(/nested too deeply|took more than|parser (stopped|failed)/);
    expect((await parseJobspecOffThread(JOB))['ID']).toBe('web');
  }, 60_000);

  it('refuses parses beyond the queue bound instead of queueing without end', async () => {
    const all = Array.from({ length: 40 }, () =>
      parseJobspecOffThread(JOB).then(
        () => 'parsed',
        (e: unknown) => (e instanceof JobspecParserBusyError ? 'busy' : String(e)),
      ),
    );
    const results = await Promise.all(all);
    expect(results.filter((r) => r === 'busy').length).toBeGreaterThan(0);
    expect(results.filter((r) => r !== 'busy').every((r) => r === 'parsed')).toBe(true);
  }, 60_000);
});
