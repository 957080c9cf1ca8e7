// Nomad's client-side ACL resolver (client/acl.go): turns a caller's token into what it may do,
// by asking the servers (the token, then each of its policies) and compiling the policies with
// @berth/acl. Answers are cached briefly, keyed by a hash of the secret, so a burst of calls
// with one token costs the servers one resolution. Policies are parsed on @berth/acl's parser
// thread and kept in its cache by their text, so the event loop never parses one.
//
//   token ──► cached and fresh? ──yes──► its ACL (or "denied")
//               │ no
//               ▼
//   ''  ──► the `anonymous` policy (anyone may read it; missing = grants nothing)
//   else ─► tokenSelf ─► management? ──► everything
//                     └► client ─► policyRules per policy (missing ones ignored) ─► compileAcl
//   any answer "ACL support disabled" ──► ACLs off: everything, to everyone, for a while
import { createHash } from 'node:crypto';
import {
  compileAcl,
  managementAcl,
  policyCache,
  PolicyParseError,
  type Acl,
  type Policy,
} from '@berth/acl';
import { ServerCallError } from '../daemon/server-failover.js';
import type { AclAnswer, AclServers } from './acl-servers.js';

/** The token could not be checked because the servers could not answer; not the caller's fault. */
export class AclUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface TokenAuthorizerOptions {
  servers: AclServers;
  /** How long a resolution is trusted (default 30 s, Nomad's `acl.token_ttl`). */
  ttlMs?: number;
  /** Most resolutions kept; the least recently used goes first (default 1024). */
  maxEntries?: number;
  /** The clock (tests move it). */
  now?: () => number;
}

/** What a caller may do: an ACL, or nothing because its token is unknown or expired. */
export type Authorisation = { kind: 'acl'; acl: Acl } | { kind: 'denied' };

interface Entry {
  answer: Authorisation;
  /** When the answer must be asked again (ms since the epoch). */
  until: number;
}

const DEFAULT_TTL_MS = 30_000;
const DEFAULT_MAX_ENTRIES = 1024;
/** A token this close to its expiry counts as expired (Nomad's leeway for clock skew). */
const EXPIRY_LEEWAY_MS = 2_000;
/** Policies fetched at once for one token. */
const POLICY_FETCHES = 8;

/** The ACL of a cluster with ACLs off: everything allowed, as a server allows it. */
const aclsDisabled: Authorisation = { kind: 'acl', acl: managementAcl };

/** The outcome of one resolution before it is cached: `disabled` is cluster-wide. */
type Resolution = { answer: Authorisation; until: number } | { disabled: true };

export class TokenAuthorizer {
  private readonly servers: AclServers;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** By hash of the secret, least recently used first (a Map keeps insertion order). */
  private readonly cache = new Map<string, Entry>();
  /** Resolutions under way, so concurrent calls with one token share one. */
  private readonly pending = new Map<string, Promise<Authorisation>>();
  /** Until when the servers' "ACL support disabled" is believed. */
  private disabledUntil = 0;
  /** What the last resolution found: ACLs off (true), on (false), or nothing yet. */
  private lastSawDisabled: boolean | undefined;

  constructor(options: TokenAuthorizerOptions) {
    this.servers = options.servers;
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    if (!Number.isFinite(this.ttlMs) || this.ttlMs < 0) {
      throw new RangeError(`ACL token TTL must be 0 ms or more, not ${this.ttlMs}`);
    }
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
    this.now = options.now ?? Date.now;
  }

  /**
   * What the holder of `secret` ('' for anonymous) may do. Throws {@link AclUnavailableError}
   * when no server answers, or one answers something a server with or without ACLs never
   * answers; the secret is in no message.
   */
  async authorise(secret: string): Promise<Authorisation> {
    const now = this.now();
    if (now < this.disabledUntil) return aclsDisabled;
    const key = createHash('sha256').update(secret).digest('base64');
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.cache.delete(key);
      if (now < cached.until) {
        this.cache.set(key, cached);
        return cached.answer;
      }
    }
    let pending = this.pending.get(key);
    if (pending === undefined) {
      pending = this.resolveAndCache(key, secret).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }

  /**
   * Whether the servers enforce ACLs, as the last resolution found (whatever its age); true when
   * nothing was resolved yet, the safe guess.
   */
  aclsEnabled(): boolean {
    return this.lastSawDisabled !== true;
  }

  private async resolveAndCache(key: string, secret: string): Promise<Authorisation> {
    const asked = this.now();
    let resolution: Resolution;
    try {
      resolution = await this.resolve(secret, asked);
    } catch (error) {
      if (error instanceof AclUnavailableError) throw error;
      if (error instanceof ServerCallError) {
        throw new AclUnavailableError(
          error.status === 0
            ? 'ACL token could not be checked: no server could be reached'
            : `ACL token could not be checked: a server answered ${error.status}${serverText(error)}`,
          { cause: error },
        );
      }
      throw error;
    }
    this.lastSawDisabled = 'disabled' in resolution;
    if ('disabled' in resolution) {
      this.disabledUntil = asked + this.ttlMs;
      // Answers given while ACLs were on no longer hold.
      this.cache.clear();
      return aclsDisabled;
    }
    if (resolution.until > this.now()) {
      while (this.cache.size >= this.maxEntries) {
        const oldest = this.cache.keys().next().value;
        if (oldest === undefined) break;
        this.cache.delete(oldest);
      }
      this.cache.set(key, resolution);
    }
    return resolution.answer;
  }

  private async resolve(secret: string, asked: number): Promise<Resolution> {
    const fresh = asked + this.ttlMs;
    if (secret === '') {
      // Nomad's anonymous token: its one policy, `anonymous`, which anyone may read.
      return this.compile(['anonymous'], '', fresh, true);
    }
    const self = await this.servers.tokenSelf(secret);
    if (self.kind === 'disabled') return { disabled: true };
    if (self.kind !== 'found') return { answer: { kind: 'denied' }, until: fresh };
    const token = self.value;
    // Trusted until the next check or the token's expiry, whichever comes first.
    const usableUntil =
      token.expiresAtMs === undefined ? Infinity : token.expiresAtMs - EXPIRY_LEEWAY_MS;
    if (usableUntil <= asked) return { answer: { kind: 'denied' }, until: fresh };
    const until = Math.min(fresh, usableUntil);
    if (token.type === 'management') return { answer: { kind: 'acl', acl: managementAcl }, until };
    return this.compile(token.policies, secret, until, false);
  }

  /**
   * Fetches and compiles the named policies. A policy that does not exist grants nothing (as in
   * Nomad); a refused read means the token went away meanwhile, unless it is the anonymous one.
   */
  private async compile(
    names: readonly string[],
    secret: string,
    until: number,
    anonymous: boolean,
  ): Promise<Resolution> {
    const unique = [...new Set(names)];
    const answers: AclAnswer<string>[] = new Array<AclAnswer<string>>(unique.length);
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const i = next++;
        answers[i] = await this.servers.policyRules(unique[i]!, secret);
      }
    };
    await Promise.all(Array.from({ length: Math.min(POLICY_FETCHES, unique.length) }, worker));
    const policies: Policy[] = [];
    for (const [i, answer] of answers.entries()) {
      if (answer.kind === 'disabled') return { disabled: true };
      if (answer.kind === 'denied' && !anonymous) return { answer: { kind: 'denied' }, until };
      if (answer.kind !== 'found') continue;
      try {
        // Read leniently, as Nomad reads a stored policy to evaluate it. Off the event loop, or
        // on it only when the parser thread's queue is full (bounded by MAX_POLICY_BYTES).
        policies.push(
          await policyCache.parseOffThread(answer.value, {
            strict: false,
            whenBusy: 'parse-here',
          }),
        );
      } catch (error) {
        // The servers validate a policy when it is written: one that does not parse here means
        // the agent and the servers disagree on the policy language.
        const why =
          error instanceof PolicyParseError
            ? 'does not parse'
            : `could not be parsed: ${error instanceof Error ? error.message : String(error)}`;
        throw new AclUnavailableError(
          `ACL token could not be checked: policy "${unique[i]}" from the servers ${why}`,
          { cause: error },
        );
      }
    }
    return { answer: { kind: 'acl', acl: compileAcl(policies) }, until };
  }
}

/** A server's error text for a message: ' <text>', at most 200 characters; '' when empty. */
function serverText(error: ServerCallError): string {
  const text = error.message.length > 200 ? `${error.message.slice(0, 200)}...` : error.message;
  return text === '' ? '' : ` ${text}`;
}
