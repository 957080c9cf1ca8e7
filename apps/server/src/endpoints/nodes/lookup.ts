// Finding the node an endpoint names, with go-memdb's UUID rules and Nomad's texts.
import type { Node } from '@berth/contract';
import type { WatchSet } from '../../state/index.js';
import type { EndpointContext } from '../context.js';
import { badRequest } from '../endpoint-error.js';
import { allocIdPrefix, exactAllocId, UuidFormatError } from '../uuid-lookup.js';

/** Why a node cannot register under an ID that go-memdb takes but no UUID path can name. */
export const NODE_ID_NOT_A_UUID = 'node ID must be a UUID: 32 hex digits and 4 hyphens';

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

/**
 * The ID a registering node is stored under: its UUID in the stored (lower-case, 8-4-4-4-12)
 * form, the one every `/v1/node/<ID>` lookup normalises to. What go-memdb's UUID index refuses
 * gets Nomad's text (`node lookup failed: index error: UUID must be 36 characters`); a 36-byte
 * ID it takes but that holds 34 or 36 hex digits could never be looked up, and is refused too.
 */
export function registrationNodeId(id: string): string {
  const stored = parse(() => exactAllocId(id));
  if (stored === undefined) throw badRequest(NODE_ID_NOT_A_UUID);
  return stored;
}

/**
 * Nomad's check of a node's SecretID: its state store indexes it as a UUID, and a write that
 * cannot build the index fails with go-memdb's text. The secret itself is stored as sent.
 */
export function checkNodeSecretFormat(secret: string): void {
  try {
    exactAllocId(secret);
  } catch (error) {
    if (error instanceof UuidFormatError) {
      throw badRequest(`node insert failed: failed to build index 'secret_id': ${error.message}`);
    }
    throw error;
  }
}

/** A list `prefix` in the stored form (400 when malformed). */
export function nodeIdPrefix(prefix: string): string {
  return parse(() => allocIdPrefix(prefix));
}
