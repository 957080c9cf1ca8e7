// The routes of the ts-rest contract, enumerated from the router object itself, so that a route
// added to the contract is fuzzed without anyone editing a list.
import { contract } from '@berth/contract';
import { isAppRoute, type AppRoute, type AppRouter } from '@ts-rest/core';
import { z } from 'zod';

/** One route of the contract, as the fuzzer needs it. */
export interface FuzzRoute {
  /** The contract key, e.g. `allocations.stop`. */
  key: string;
  method: AppRoute['method'];
  /** The path template, e.g. `/v1/allocation/:allocID/stop`. */
  path: string;
  /** The names of the `:params` in the path, in order. */
  pathParams: string[];
  /** The query options the route declares (empty when it declares none). */
  queryKeys: string[];
  /** Whether the route takes a body. */
  hasBody: boolean;
}

/** The keys of a zod object, looking through refinements and transforms. */
function objectKeys(schema: unknown): string[] {
  let current: unknown = schema;
  // Refinements nest (ZodEffects of ZodEffects ...); the contract uses at most one or two.
  for (let depth = 0; depth < 8; depth++) {
    if (current instanceof z.ZodObject) return Object.keys(current.shape as object);
    if (current instanceof z.ZodEffects) current = current.innerType();
    else if (current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
      current = current.unwrap();
    } else return [];
  }
  return [];
}

function walk(router: AppRouter, prefix: string, out: FuzzRoute[]): void {
  for (const [name, entry] of Object.entries(router)) {
    const key = prefix === '' ? name : `${prefix}.${name}`;
    if (isAppRoute(entry)) {
      out.push({
        key,
        method: entry.method,
        path: entry.path,
        pathParams: [...entry.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!),
        queryKeys: objectKeys('query' in entry ? entry.query : undefined),
        hasBody: entry.method !== 'GET' && 'body' in entry && entry.body !== undefined,
      });
    } else {
      walk(entry, key, out);
    }
  }
}

/** Every route of `router` (default: berth's whole contract). */
export function contractRoutes(router: AppRouter = contract): FuzzRoute[] {
  const out: FuzzRoute[] = [];
  walk(router, '', out);
  return out;
}
