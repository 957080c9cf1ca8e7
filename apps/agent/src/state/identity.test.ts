import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateIdentity } from './identity.js';

describe('loadOrCreateIdentity', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-identity-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('creates an ID and a secret once and finds them again, so a restarted agent is the same node', () => {
    const dir = tempDir();
    const first = loadOrCreateIdentity(dir);
    expect(first.ID).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.SecretID).not.toBe(first.ID);
    expect(loadOrCreateIdentity(dir)).toEqual(first);
    expect(JSON.parse(readFileSync(join(dir, 'client', 'node.json'), 'utf8'))).toEqual(first);
  });

  it('refuses a damaged identity file instead of becoming a new node, naming the file', () => {
    const dir = tempDir();
    const first = loadOrCreateIdentity(dir);
    const file = join(dir, 'client', 'node.json');
    for (const text of ['{not json', 'null', '{"ID": "n1", "SecretID": "s"}']) {
      writeFileSync(file, text);
      expect(() => loadOrCreateIdentity(dir)).toThrow(
        `cannot read the agent's node identity from ${file}: `,
      );
      expect(() => loadOrCreateIdentity(dir)).toThrow(
        '. Fix or remove the file; removing it makes the agent register as a new node, and ' +
          'tasks still running from before may then run twice.',
      );
    }
    // Removed, a new identity is made.
    rmSync(file);
    expect(loadOrCreateIdentity(dir).ID).not.toBe(first.ID);
  });
});
