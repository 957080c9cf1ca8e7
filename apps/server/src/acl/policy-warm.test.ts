import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { policyCache } from '@berth/acl';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../server.js';
import { openStateStore } from '../state/index.js';
import { putPolicy, putToken } from './testing/acl-fixtures.js';

let dataDir: string;
let server: RunningServer | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'berth-policy-warm-'));
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

async function until(what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a started server parses the stored policies off the event loop, before requests need them', async () => {
  // Rules no other test parsed (the policy cache is the process's).
  const rules = `namespace "default" { policy = "read" }\n# ${randomUUID()}\n`;
  const broken = `namespace "default" {\n# ${randomUUID()}\n`;
  const offline = openStateStore({ dataDir });
  // Stored as a policy from an older parser might be: one that no longer parses is skipped.
  await putPolicy(offline, 'a-broken', broken);
  await putPolicy(offline, 'b-reader', rules);
  const token = await putToken(offline, { policies: ['b-reader'] });
  offline.close();

  const before = policyCache.stats();
  server = await startServer({ dataDir, httpPort: 0, acl: true });
  await until(
    'the stored policy is parsed',
    () => policyCache.get(rules, { strict: false }) !== undefined,
  );
  expect(policyCache.stats().parsedHere - before.parsedHere).toBe(0);

  const jobs = await fetch(`${server.address}/v1/jobs`, {
    headers: { 'X-Nomad-Token': token.SecretID },
  });
  expect([jobs.status, await jobs.json()]).toEqual([200, []]);
  const read = await fetch(`${server.address}/v1/acl/policy/b-reader`, {
    headers: { 'X-Nomad-Token': token.SecretID },
  });
  expect(((await read.json()) as { RulesJSON: { Raw: string } }).RulesJSON.Raw).toBe(rules);
  const after = policyCache.stats();
  expect({
    here: after.parsedHere - before.parsedHere,
    // The two stored policies, once each.
    offThread: after.parsedOffThread - before.parsedOffThread,
  }).toEqual({ here: 0, offThread: 2 });
});
