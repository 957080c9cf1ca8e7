// Parsed policies by a hash of their rules (Nomad caches compiled ACLs by policy hash too), so a
// stored policy is parsed once per distinct text, not on every read or compile: parsing costs
// milliseconds per KiB and would hold the caller's event loop.
import { createHash } from 'node:crypto';
import { MAX_POLICY_BYTES, parsePolicy, type ParseOptions } from './parse.js';
import type { Policy } from './types.js';
import {
  parsePolicyOffThread,
  PolicyParserBusyError,
  type ParseOffThreadOptions,
} from './worker/parser-thread.js';

/** Parsed policies kept (as Nomad's aclCacheSize): the least recently used goes first. */
export const POLICY_CACHE_SIZE = 512;

/** Options of a {@link PolicyCache}. */
export interface PolicyCacheOptions {
  /** Most policies kept (default {@link POLICY_CACHE_SIZE}). */
  limit?: number;
  /** Parses on the caller's thread (default parsePolicy). */
  parse?: (rules: string, options: ParseOptions) => Policy;
  /** Parses on the parser thread (default parsePolicyOffThread). */
  parseOffThread?: (rules: string, options: ParseOffThreadOptions) => Promise<Policy>;
}

/** Options of {@link PolicyCache.parseOffThread}. */
export interface CachedParseOptions extends ParseOffThreadOptions {
  /**
   * When the parser thread's queue is full: `refuse` (the default) rejects with its
   * PolicyParserBusyError; `parse-here` parses on the caller's thread instead, for a read that
   * must answer (bounded by MAX_POLICY_BYTES).
   */
  whenBusy?: 'refuse' | 'parse-here';
}

/** What a {@link PolicyCache} has done, for tests and diagnostics. */
export interface PolicyCacheStats {
  size: number;
  hits: number;
  /** Parses run on the caller's thread, refused ones included. */
  parsedHere: number;
  /** Parses sent to the parser thread, refused ones included. */
  parsedOffThread: number;
}

/**
 * Policies parsed from rules, keyed by a SHA-256 of the rules and the strict flag; only rules
 * that parse are kept. A strict parse that succeeds is kept for the lenient reading too: the two
 * differ only in what strict refuses. Policies handed out are frozen and shared.
 */
export class PolicyCache {
  private readonly limit: number;
  private readonly parseHere: NonNullable<PolicyCacheOptions['parse']>;
  private readonly parseThere: NonNullable<PolicyCacheOptions['parseOffThread']>;
  /** By key, least recently used first (a Map keeps insertion order). */
  private readonly entries = new Map<string, Policy>();
  /** Parses under way on the thread, so concurrent callers with one text share one. */
  private readonly pending = new Map<string, Promise<Policy>>();
  private counts = { hits: 0, parsedHere: 0, parsedOffThread: 0 };

  constructor(options: PolicyCacheOptions = {}) {
    this.limit = options.limit ?? POLICY_CACHE_SIZE;
    if (!Number.isInteger(this.limit) || this.limit < 1) {
      throw new RangeError(`policy cache limit must be 1 or more, not ${this.limit}`);
    }
    this.parseHere = options.parse ?? parsePolicy;
    this.parseThere = options.parseOffThread ?? parsePolicyOffThread;
  }

  stats(): PolicyCacheStats {
    return { size: this.entries.size, ...this.counts };
  }

  /** The cached policy of `rules`, or undefined. */
  get(rules: string, options: ParseOptions = {}): Policy | undefined {
    return this.lookup(cacheKey(rules, options.strict ?? true));
  }

  /**
   * `rules` parsed, from the cache or else on the caller's thread (and then cached); throws as
   * parsePolicy does. For synchronous callers only: it holds the event loop on a miss.
   */
  parse(rules: string, options: ParseOptions = {}): Policy {
    const strict = options.strict ?? true;
    if (this.refusedUnread(rules)) return this.parseHere(rules, { strict });
    const cached = this.lookup(cacheKey(rules, strict));
    if (cached !== undefined) return cached;
    this.counts.parsedHere++;
    return this.remember(rules, strict, this.parseHere(rules, { strict }));
  }

  /** Rules the parser refuses by their size alone, at once: not worth hashing or sending. */
  private refusedUnread(rules: string): boolean {
    return rules.length > MAX_POLICY_BYTES || Buffer.byteLength(rules, 'utf8') > MAX_POLICY_BYTES;
  }

  /**
   * `rules` parsed, from the cache or else on the parser thread (and then cached); rejects as
   * parsePolicyOffThread does, or see {@link CachedParseOptions.whenBusy}.
   */
  async parseOffThread(rules: string, options: CachedParseOptions = {}): Promise<Policy> {
    const strict = options.strict ?? true;
    if (this.refusedUnread(rules)) return this.parseHere(rules, { strict });
    const key = cacheKey(rules, strict);
    const cached = this.lookup(key);
    if (cached !== undefined) return cached;
    let pending = this.pending.get(key);
    if (pending === undefined) {
      this.counts.parsedOffThread++;
      const parseOptions: ParseOffThreadOptions = { strict };
      if (options.timeoutMs !== undefined) parseOptions.timeoutMs = options.timeoutMs;
      pending = this.parseThere(rules, parseOptions)
        .then((policy) => this.remember(rules, strict, policy))
        .finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    try {
      return await pending;
    } catch (error) {
      if (error instanceof PolicyParserBusyError && options.whenBusy === 'parse-here') {
        return this.parse(rules, { strict });
      }
      throw error;
    }
  }

  /** Keeps `policy`, parsed from `rules` (strictly or not), and answers it frozen. */
  private remember(rules: string, strict: boolean, policy: Policy): Policy {
    const frozen = deepFreeze(policy);
    this.store(cacheKey(rules, strict), frozen);
    if (strict) this.store(cacheKey(rules, false), frozen);
    return frozen;
  }

  private lookup(key: string): Policy | undefined {
    const policy = this.entries.get(key);
    if (policy !== undefined) {
      this.counts.hits++;
      // Moved to the end: the most recently used.
      this.entries.delete(key);
      this.entries.set(key, policy);
    }
    return policy;
  }

  private store(key: string, policy: Policy): void {
    this.entries.delete(key);
    this.entries.set(key, policy);
    while (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}

function cacheKey(rules: string, strict: boolean): string {
  return `${strict ? 'strict' : 'lenient'}:${createHash('sha256').update(rules).digest('base64')}`;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * The process's policy cache, shared by everything that reads stored policies (a server's ACL
 * resolver and policy reads, a node agent's token checks) and filled by policy writes.
 */
export const policyCache = new PolicyCache();
