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

  it('replaces a damaged identity file with a new identity', () => {
    const dir = tempDir();
    loadOrCreateIdentity(dir);
    writeFileSync(join(dir, 'client', 'node.json'), '{not json');
    const next = loadOrCreateIdentity(dir);
    expect(next.ID).toMatch(/^[0-9a-f-]{36}$/);
  });
});
