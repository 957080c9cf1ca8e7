import { afterAll, describe, expect, it } from 'vitest';
import { MAX_POLICY_BYTES, MAX_POLICY_NESTING, parsePolicy, PolicyParseError } from '../index.js';
import {
  closePolicyParserThread,
  holdPolicyParserThread,
  parsePolicyOffThread,
  PolicyParserBusyError,
  PolicyParserClosedError,
  PolicyParserThread,
} from './parser-thread.js';

const simple = 'namespace "default" { policy = "read" }';

/** About `kib` KiB of namespace blocks: the slowest kind of rules to parse. */
function blocksOf(kib: number): string {
  let rules = '';
  for (let i = 0; rules.length < kib * 1024; i++) {
    rules += `namespace "ns-${i}" {\n  policy = "read"\n  capabilities = ["submit-job"]\n}\n`;
  }
  return rules;
}

/** What `promise` rejects with (fails if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

/** The PolicyParseError parsePolicy throws on this thread, as text and line. */
function refusedHere(rules: string, strict: boolean): { message: string; line?: number } {
  try {
    parsePolicy(rules, { strict });
  } catch (error) {
    if (error instanceof PolicyParseError) return { message: error.message, line: error.line };
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(rules.slice(0, 40))} to be refused`);
}

const thread = new PolicyParserThread();
afterAll(() => thread.close());

describe('PolicyParserThread', () => {
  it('parses policies as parsePolicy does on the caller’s thread', async () => {
    const policies = [
      simple,
      '',
      'node { policy = "write" }\nagent { policy = "read" }\noperator { policy = "read" }',
      'namespace "prod-*" {\n  capabilities = ["read-logs", "alloc-exec"]\n  variables {\n' +
        '    path "nomad/jobs/*" { capabilities = ["read"] }\n  }\n}\nnode_pool "x" { policy = "read" }',
      '{"namespace": {"default": {"policy": "write"}}, "host_volume": {"*": {"policy": "read"}}}',
      blocksOf(8),
    ];
    for (const rules of policies) {
      expect(await thread.parse(rules)).toEqual(parsePolicy(rules));
      expect(await thread.parse(rules, { strict: false })).toEqual(
        parsePolicy(rules, { strict: false }),
      );
    }
    // Lenient reading keeps what strict refuses.
    const unknownBlock = `${simple}\nbogus { policy = "read" }`;
    expect(await thread.parse(unknownBlock, { strict: false })).toEqual(
      parsePolicy(unknownBlock, { strict: false }),
    );
  });

  it('refuses rules with the PolicyParseError text and line parsePolicy gives', async () => {
    const refused: [string, boolean][] = [
      ['namespace "default" {\n  policy = "read"\n', true],
      ['{"node": {"policy": read}}', true],
      ['namespace "\\500" {}', true],
      ['namespace "default" {\n  capabilities = ["read-job", "bogus"]\n}', true],
      [`${simple}\nbogus { policy = "read" }`, true],
      ['node { policy = "admin" }', false],
      ['x'.repeat(MAX_POLICY_BYTES + 1), true],
      [`${'namespace "a" {'.repeat(MAX_POLICY_NESTING + 1)}`, false],
      ['# only a comment', true],
    ];
    for (const [rules, strict] of refused) {
      const error = await rejection(thread.parse(rules, { strict }));
      expect(error).toBeInstanceOf(PolicyParseError);
      const { message, line } = error as PolicyParseError;
      expect({ message, line }).toEqual({ line: undefined, ...refusedHere(rules, strict) });
    }
  });

  it('refuses a parse over its time limit and parses the next on a new worker', async () => {
    const timed = new PolicyParserThread();
    try {
      await timed.parse(simple);
      const error = await rejection(timed.parse(blocksOf(60), { timeoutMs: 1 }));
      expect(error).toBeInstanceOf(PolicyParseError);
      expect((error as Error).message).toBe(
        'Failed to parse ACL Policy: the rules took more than 1 ms to parse',
      );
      expect(await timed.parse(simple)).toEqual(parsePolicy(simple));
      expect(timed.starts).toBe(2);
    } finally {
      await timed.close();
    }
  });

  it('replaces a worker that dies: the parse it ran is refused, the queued ones go on', async () => {
    const dying = new PolicyParserThread({
      workerUrl: new URL('./test-fixtures/exiting-parse-worker.mjs', import.meta.url),
    });
    try {
      const first = dying.parse(simple);
      const fatal = rejection(dying.parse('die'));
      const after = dying.parse('node { policy = "read" }');
      expect(await first).toEqual(parsePolicy(simple));
      const error = await fatal;
      expect(error).toBeInstanceOf(PolicyParseError);
      expect((error as Error).message).toBe(
        'Failed to parse ACL Policy: the parser stopped on these rules: exit code 7',
      );
      expect(await after).toEqual(parsePolicy('node { policy = "read" }'));
      expect(dying.starts).toBe(2);
      // Dying again: the next parse still gets a worker.
      await rejection(dying.parse('die'));
      expect(await dying.parse(simple)).toEqual(parsePolicy(simple));
      expect(dying.starts).toBe(3);
    } finally {
      await dying.close();
    }
  });

  it('fails the parses waiting for a worker that cannot start, and tries again for the next', async () => {
    const broken = new PolicyParserThread({
      workerUrl: new URL('./test-fixtures/no-such-worker.mjs', import.meta.url),
    });
    try {
      const waiting = [broken.parse(simple), broken.parse(simple)].map(rejection);
      for (const error of await Promise.all(waiting)) {
        expect((error as Error).message).toMatch(
          /^the ACL policy parser thread did not start: .*no-such-worker\.mjs/,
        );
      }
      await rejection(broken.parse(simple));
      expect(broken.starts).toBe(2);
    } finally {
      await broken.close();
    }
  });

  it('refuses parses beyond its queue and takes more once it drains', async () => {
    const small = new PolicyParserThread({ maxQueued: 2 });
    try {
      const accepted = [small.parse(simple), small.parse(blocksOf(4))];
      const error = await rejection(small.parse(simple));
      expect(error).toBeInstanceOf(PolicyParserBusyError);
      expect((error as Error).message).toBe(
        'the ACL policy parser is busy: 2 policies are waiting to be parsed',
      );
      await Promise.all(accepted);
      expect(await small.parse(simple)).toEqual(parsePolicy(simple));
    } finally {
      await small.close();
    }
  });

  it('close rejects the parses waiting; a later parse starts a new worker', async () => {
    const closing = new PolicyParserThread();
    const waiting = [closing.parse(blocksOf(16)), closing.parse(simple)].map(rejection);
    await closing.close();
    for (const error of await Promise.all(waiting)) {
      expect(error).toBeInstanceOf(PolicyParserClosedError);
    }
    expect(await closing.parse(simple)).toEqual(parsePolicy(simple));
    expect(closing.starts).toBe(2);
    await closing.close();
  });

  it('range-checks its bounds', () => {
    expect(() => new PolicyParserThread({ maxQueued: 0 })).toThrow(RangeError);
    expect(() => new PolicyParserThread({ timeoutMs: Number.NaN })).toThrow(RangeError);
    expect(() => thread.parse(simple, { timeoutMs: -1 })).toThrow(RangeError);
  });
});

describe('parsePolicyOffThread', () => {
  it('parses on the shared thread, which closes and starts again', async () => {
    expect(await parsePolicyOffThread(simple, { strict: false })).toEqual(parsePolicy(simple));
    const waiting = rejection(parsePolicyOffThread(blocksOf(16)));
    await closePolicyParserThread();
    expect(await waiting).toBeInstanceOf(PolicyParserClosedError);
    expect(await parsePolicyOffThread(simple)).toEqual(parsePolicy(simple));
    await closePolicyParserThread();
  });
});

describe('holdPolicyParserThread', () => {
  it('stops the shared thread when its last holder lets go, not before', async () => {
    const first = holdPolicyParserThread();
    const second = holdPolicyParserThread();
    expect(await parsePolicyOffThread(simple)).toEqual(parsePolicy(simple));
    await first();
    await first(); // letting go twice counts once
    const during = parsePolicyOffThread(blocksOf(16));
    await expect(during).resolves.toEqual(parsePolicy(blocksOf(16)));
    const waiting = rejection(parsePolicyOffThread(blocksOf(16)));
    await second();
    expect(await waiting).toBeInstanceOf(PolicyParserClosedError);
  });
});
