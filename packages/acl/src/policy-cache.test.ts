import { afterAll, describe, expect, it } from 'vitest';
import {
  MAX_POLICY_BYTES,
  parsePolicy,
  PolicyCache,
  PolicyParseError,
  PolicyParserBusyError,
  PolicyParserThread,
  type ParseOptions,
} from './index.js';

const thread = new PolicyParserThread();
afterAll(() => thread.close());

/** A cache over the real parser, on this thread and on `parser`, counting every parse. */
function countingCache(limit?: number, parser: PolicyParserThread = thread) {
  const calls = { here: [] as string[], offThread: [] as string[] };
  const cache = new PolicyCache({
    limit,
    parse: (rules: string, options: ParseOptions) => {
      calls.here.push(rules);
      return parsePolicy(rules, options);
    },
    parseOffThread: (rules, options) => {
      calls.offThread.push(rules);
      return parser.parse(rules, options);
    },
  });
  return { cache, calls };
}

const a = 'namespace "a" { policy = "read" }';
const b = 'namespace "b" { policy = "write" }';
const c = 'node { policy = "read" }';

describe('PolicyCache', () => {
  it('parses each text once, on either thread', async () => {
    const { cache, calls } = countingCache();
    for (let i = 0; i < 3; i++) expect(cache.parse(a, { strict: false })).toEqual(parsePolicy(a));
    for (let i = 0; i < 3; i++) {
      expect(await cache.parseOffThread(a, { strict: false })).toEqual(parsePolicy(a));
    }
    expect(await cache.parseOffThread(b)).toEqual(parsePolicy(b));
    expect(cache.parse(b)).toEqual(parsePolicy(b));
    expect(calls).toEqual({ here: [a], offThread: [b] });
    expect(cache.stats()).toEqual({ size: 3, hits: 6, parsedHere: 1, parsedOffThread: 1 });
  });

  it('shares one parse among concurrent callers of one text', async () => {
    const { cache, calls } = countingCache();
    const policies = await Promise.all(Array.from({ length: 5 }, () => cache.parseOffThread(a)));
    for (const policy of policies) expect(policy).toBe(policies[0]);
    expect(calls.offThread).toEqual([a]);
  });

  it('keeps a strict parse for lenient readers, not a lenient one for strict readers', async () => {
    const { cache, calls } = countingCache();
    await cache.parseOffThread(a); // a policy write
    expect(cache.get(a, { strict: false })).toEqual(parsePolicy(a)); // its reads
    cache.parse(a, { strict: false });
    const unknownBlock = `${b}\nbogus { policy = "read" }`;
    cache.parse(unknownBlock, { strict: false });
    expect(() => cache.parse(unknownBlock)).toThrow(PolicyParseError);
    expect(calls).toEqual({ here: [unknownBlock, unknownBlock], offThread: [a] });
  });

  it('keeps no refusal: refused rules are parsed (and refused) again', async () => {
    const { cache, calls } = countingCache();
    const broken = 'namespace "a" {';
    expect(() => cache.parse(broken)).toThrow(PolicyParseError);
    await expect(cache.parseOffThread(broken)).rejects.toThrow(PolicyParseError);
    await expect(cache.parseOffThread(broken)).rejects.toThrow(PolicyParseError);
    expect(calls).toEqual({ here: [broken], offThread: [broken, broken] });
    expect(cache.stats().size).toBe(0);
  });

  it('refuses rules over the size limit at once, without the parser thread', async () => {
    const { cache, calls } = countingCache();
    const big = `${a}\n# ${'é'.repeat(MAX_POLICY_BYTES / 2)}`;
    await expect(cache.parseOffThread(big)).rejects.toThrow(
      `the rules are ${Buffer.byteLength(big)} bytes, more than the ${MAX_POLICY_BYTES} allowed`,
    );
    expect(calls).toEqual({ here: [big], offThread: [] });
  });

  it('forgets the least recently used text beyond its limit', () => {
    const { cache, calls } = countingCache(2);
    cache.parse(a, { strict: false });
    cache.parse(b, { strict: false });
    cache.parse(a, { strict: false }); // a is now the most recent
    cache.parse(c, { strict: false }); // b goes
    expect(cache.get(b, { strict: false })).toBeUndefined();
    cache.parse(a, { strict: false });
    expect(calls.here).toEqual([a, b, c]);
    expect(cache.stats().size).toBe(2);
  });

  it('hands out frozen policies, shared by every caller', () => {
    const { cache } = countingCache();
    const policy = cache.parse(a);
    expect(cache.parse(a)).toBe(policy);
    expect(Object.isFrozen(policy)).toBe(true);
    expect(Object.isFrozen(policy.namespaces[0]?.capabilities)).toBe(true);
    expect(() => policy.namespaces.push(policy.namespaces[0]!)).toThrow(TypeError);
  });

  it('when the parser thread is busy, refuses or parses on the caller’s thread', async () => {
    const busy = new PolicyParserThread({ maxQueued: 1 });
    try {
      const { cache, calls } = countingCache(undefined, busy);
      // The first waits for the new worker and fills the queue.
      const first = cache.parseOffThread(a);
      await expect(cache.parseOffThread(b)).rejects.toBeInstanceOf(PolicyParserBusyError);
      expect(await cache.parseOffThread(c, { whenBusy: 'parse-here' })).toEqual(parsePolicy(c));
      expect(await first).toEqual(parsePolicy(a));
      expect(calls).toEqual({ here: [c], offThread: [a, b, c] });
    } finally {
      await busy.close();
    }
  });

  it('range-checks its limit', () => {
    expect(() => new PolicyCache({ limit: 0 })).toThrow(RangeError);
    expect(() => new PolicyCache({ limit: 1.5 })).toThrow(RangeError);
  });
});
