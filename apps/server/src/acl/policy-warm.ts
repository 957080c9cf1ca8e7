// Fills @berth/acl's policy cache from the stored policies, parsed on its parser thread, once a
// server listens: after a restart, the first requests then find their tokens' policies parsed,
// instead of parsing them on the event loop (acl/store-resolver.ts) one by one.
import {
  POLICY_CACHE_SIZE,
  policyCache,
  PolicyParseError,
  PolicyParserBusyError,
  PolicyParserClosedError,
} from '@berth/acl';
import type { StateStore } from '../state/index.js';

/** Where the warming reports what it could not do. */
export interface WarmingLog {
  warn(message: string): void;
  error(details: { err: unknown }, message: string): void;
}

/** A warming under way. */
export interface PolicyWarming {
  /** Resolves when every policy is parsed or skipped; never rejects (failures are logged). */
  done: Promise<void>;
  /** Stops after the parse under way. */
  stop(): void;
}

/**
 * Parses the stored policies (at most as many as the cache keeps) one at a time on the parser
 * thread, so that requests arriving meanwhile wait for at most one of them. A policy the parser
 * is too busy for is left to the first request that needs it.
 */
export function warmPolicyCache(store: StateStore, log: WarmingLog): PolicyWarming {
  let stopped = false;
  async function warm(): Promise<void> {
    const policies = store.aclPolicies('').slice(0, POLICY_CACHE_SIZE);
    for (const policy of policies) {
      if (stopped) return;
      try {
        await policyCache.parseOffThread(policy.Rules, { strict: false });
      } catch (error) {
        // The server is closing.
        if (error instanceof PolicyParserClosedError) return;
        if (error instanceof PolicyParserBusyError) continue;
        if (error instanceof PolicyParseError) {
          log.warn(
            `stored ACL policy ${JSON.stringify(policy.Name)} does not parse: ${error.message}`,
          );
          continue;
        }
        throw error;
      }
    }
  }
  const done = warm().catch((error: unknown) => {
    log.error({ err: error }, 'warming the ACL policy cache failed');
  });
  return {
    done,
    stop() {
      stopped = true;
    },
  };
}
