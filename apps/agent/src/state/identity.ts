// The node's identity (Nomad's client state `node-id` and `secret-id` files): created once and kept
// in `<dataDir>/client/node.json`, so a restarted agent registers as the same node.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface NodeIdentity {
  ID: string;
  SecretID: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The client's own directory under the data directory. */
export function clientDir(dataDir: string): string {
  return join(dataDir, 'client');
}

/** Reads the node identity from the data directory, creating (and persisting) it the first time. */
export function loadOrCreateIdentity(dataDir: string): NodeIdentity {
  const dir = clientDir(dataDir);
  const file = join(dir, 'node.json');
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<NodeIdentity>;
    if (
      typeof saved.ID === 'string' &&
      UUID.test(saved.ID) &&
      typeof saved.SecretID === 'string' &&
      UUID.test(saved.SecretID)
    ) {
      return { ID: saved.ID, SecretID: saved.SecretID };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) {
      throw error;
    }
  }
  const identity: NodeIdentity = { ID: randomUUID(), SecretID: randomUUID() };
  mkdirSync(dir, { recursive: true });
  // Written then renamed, so a crash never leaves half a file (and a new node on restart).
  writeFileSync(`${file}.tmp`, JSON.stringify(identity, null, 2), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return identity;
}
