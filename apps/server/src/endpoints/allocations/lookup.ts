// Finding the allocation an object endpoint names, with the error texts each endpoint uses.
import { allocLookupFailed, type Allocation } from '@berth/contract';
import type { WatchSet } from '../../state/index.js';
import type { EndpointContext } from '../context.js';
import { badRequest } from '../endpoint-error.js';
import { exactAllocId, UuidFormatError } from '../uuid-lookup.js';

/**
 * Looks an allocation up by its full ID (any case, hyphens anywhere). A malformed ID is a 400 with
 * Nomad's `alloc lookup failed` text; a well-formed unknown one returns `undefined`.
 */
export function findAlloc(ctx: EndpointContext, id: string, ws?: WatchSet): Allocation | undefined {
  let stored: string | undefined;
  try {
    stored = exactAllocId(id);
  } catch (error) {
    if (error instanceof UuidFormatError) {
      throw badRequest(allocLookupFailed(error.message));
    }
    throw error;
  }
  // An ID that can never match still watches the table, so a blocking read waits correctly.
  return ctx.store.allocByID(stored ?? '', ws);
}
