// Finding the evaluation an endpoint names, with go-memdb's UUID rules and Nomad's texts.
import type { Evaluation } from '@berth/contract';
import type { WatchSet } from '../../state/index.js';
import type { EndpointContext } from '../context.js';
import { badRequest } from '../endpoint-error.js';
import { allocIdPrefix, exactAllocId, UuidFormatError } from '../uuid-lookup.js';

/** 400 (Nomad: 500), a malformed evaluation ID or prefix: `eval lookup failed: index error: ...`. */
export const evalLookupFailed = (detail: string): string =>
  `eval lookup failed: index error: ${detail}`;

function parse<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof UuidFormatError) throw badRequest(evalLookupFailed(error.message));
    throw error;
  }
}

/** The evaluation with this full ID; a malformed ID is a 400, an unknown one `undefined`. */
export function findEval(ctx: EndpointContext, id: string, ws?: WatchSet): Evaluation | undefined {
  const stored = parse(() => exactAllocId(id));
  // An ID that can never match still watches the table, so a blocking read waits correctly.
  return ctx.store.evalByID(stored ?? '', ws);
}

/** A list `prefix` in the stored form (400 when malformed). */
export function evalIdPrefix(prefix: string): string {
  return parse(() => allocIdPrefix(prefix));
}
