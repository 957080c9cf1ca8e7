// The node's identity (Nomad's client state `node-id` and `secret-id` files): created once and kept
// in `<dataDir>/client/node.json`, so a restarted agent registers as the same node.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readIfExists, UnreadableStateError, writeFileDurably } from './durable-file.js';

export interface NodeIdentity {
  ID: string;
  SecretID: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The client's own directory under the data directory. */
export function clientDir(dataDir: string): string {
  return join(dataDir, 'client');
}

/**
 * Reads the node identity from the data directory, creating (and persisting) it the first time.
 * A file that cannot be read is an error, not a new node: the servers would forget the old node's
 * allocations while their tasks still run here.
 */
export function loadOrCreateIdentity(dataDir: string): NodeIdentity {
  const dir = clientDir(dataDir);
  const file = join(dir, 'node.json');
  let text: string | undefined;
  try {
    text = readIfExists(file);
    if (text !== undefined) return parseIdentity(text);
  } catch (error) {
    throw new UnreadableStateError(
      file,
      "the agent's node identity",
      'makes the agent register as a new node, and tasks still running from before may then run twice',
      error,
    );
  }
  const identity: NodeIdentity = { ID: randomUUID(), SecretID: randomUUID() };
  mkdirSync(dir, { recursive: true });
  // A crash never leaves half a file (and a new node on restart).
  writeFileDurably(file, JSON.stringify(identity, null, 2));
  return identity;
}

function parseIdentity(text: string): NodeIdentity {
  const saved = JSON.parse(text) as Partial<NodeIdentity> | null;
  if (
    typeof saved?.ID !== 'string' ||
    !UUID.test(saved.ID) ||
    typeof saved.SecretID !== 'string' ||
    !UUID.test(saved.SecretID)
  ) {
    throw new Error('ID and SecretID must be UUIDs');
  }
  return { ID: saved.ID, SecretID: saved.SecretID };
}
