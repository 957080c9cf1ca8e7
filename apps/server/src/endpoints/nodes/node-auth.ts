// Node identity (Nomad's node secret check for client RPCs): a node agent proves who it is with
// its node's SecretID, and may act only on that node.
import { ErrorText, type Node, type NodeRegistration } from '@berth/contract';
import { timingSafeEqual } from 'node:crypto';
import type { AclIdentity } from '../../acl/acl.js';
import type { EndpointContext } from '../context.js';
import { forbidden, notFound } from '../endpoint-error.js';
import { findNode } from './lookup.js';

/** The stored secret of a node ('' if it has none). */
export function nodeSecret(node: Node): string {
  return (node as Partial<NodeRegistration>).SecretID ?? '';
}

function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether the caller may register a node (`original`: the node as stored, `undefined` when new):
 * a new node needs node:write (the operator's introduction token); an existing one may also be
 * registered again by its own agent, authenticated by the node's SecretID. Throws 403 otherwise.
 */
export function authorizeRegistration(identity: AclIdentity, original: Node | undefined): void {
  if (identity.allowsNodeWrite()) return;
  if (original !== undefined && identity.nodeID === original.ID) return;
  throw forbidden();
}

/**
 * The node a node agent's call acts for, checked in Nomad's order (nomad/auth/auth.go):
 *
 * 1. authenticate: with ACLs on, a token that is no live credential (unknown, expired,
 *    malformed, or the secret of a node whose record is gone) is a 403 before anything is looked
 *    up, so no caller can probe which node IDs exist;
 * 2. look up: a malformed ID is a 400, an unknown node a 404 `node not found` (with ACLs off the
 *    agent then registers again);
 * 3. authorise: the token must be the node's own SecretID, else 403.
 */
export function authenticateNode(ctx: EndpointContext, nodeID: string, token: string): Node {
  // Throws 403 with ACLs on; with ACLs off every token resolves, so the order is look-up first.
  ctx.acl.resolve(token);
  const node = findNode(ctx, nodeID);
  if (node === undefined) throw notFound(ErrorText.NodeNotFound);
  const secret = nodeSecret(node);
  if (token === '' || secret === '' || !sameSecret(token, secret)) throw forbidden();
  return node;
}
