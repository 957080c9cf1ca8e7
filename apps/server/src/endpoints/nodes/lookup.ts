// Finding the node an endpoint names, with go-memdb's UUID rules and Nomad's texts.
import type { Node } from '@berth/contract';
import type { WatchSet } from '../../state/index.js';
import type { EndpointContext } from '../context.js';
import { badRequest } from '../endpoint-error.js';
import { allocIdPrefix, exactAllocId, UuidFormatError } from '../uuid-lookup.js';

/** 400 (Nomad: 500), a malformed node ID or prefix: `node lookup failed: index error: ...`. */
export const nodeLookupFailed = (detail: string): string =>
  `node lookup failed: index error: ${detail}`;

function parse<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof UuidFormatError) throw badRequest(nodeLookupFailed(error.message));
    throw error;
  }
}

/** The node with this full ID; a malformed ID is a 400, an unknown one `undefined`. */
export function findNode(ctx: EndpointContext, id: string, ws?: WatchSet): Node | undefined {
  const stored = parse(() => exactAllocId(id));
  return ctx.store.nodeByID(stored ?? '', ws);
}

/** A list `prefix` in the stored form (400 when malformed). */
export function nodeIdPrefix(prefix: string): string {
  return parse(() => allocIdPrefix(prefix));
}
