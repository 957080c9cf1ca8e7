import { randomUUID } from 'node:crypto';
import { MAX_POLICY_BYTES, policyCache, type PolicyCacheStats } from '@berth/acl';
import type { BerthClient } from '@berth/client';
import { multiError } from '@berth/contract';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { putPolicy } from '../../acl/testing/acl-fixtures.js';
import { failure } from '../../test-support/api-failure.js';
import { startTestServer, type TestServer } from '../../test-support/harness.js';

let server: TestServer;
let admin: BerthClient;
let rootSecret: string;

beforeEach(async () => {
  server = await startTestServer({ aclEnabled: true });
  rootSecret = (await server.client.acl.bootstrap()).data.SecretID;
  admin = server.clientFor({ token: rootSecret });
});
afterEach(() => server.close());

/** Rules no other test parsed (the policy cache is the process's). */
const unique = (rules: string) => `${rules}\n# ${randomUUID()}\n`;

/** The parses run since `before`, on the event loop and on the parser thread. */
function parsesSince(before: PolicyCacheStats) {
  const now = policyCache.stats();
  return {
    here: now.parsedHere - before.parsedHere,
    offThread: now.parsedOffThread - before.parsedOffThread,
  };
}

/** About `kib` KiB of namespace blocks, the slowest rules to parse, different each time. */
function blocksOf(kib: number): string {
  let rules = `# ${randomUUID()}\n`;
  for (let i = 0; rules.length < kib * 1024; i++) {
    rules += `namespace "ns-${i}" {\n  policy = "read"\n  capabilities = ["submit-job"]\n}\n`;
  }
  return rules;
}

describe('ACL policy parsing', () => {
  test('a written policy is parsed once, off the event loop; reads and checks never parse it again', async () => {
    const rules = unique('namespace "default" { policy = "read" }');
    const before = policyCache.stats();
    await admin.acl.policyUpsert({ Name: 'reader', Rules: rules });
    expect(parsesSince(before)).toEqual({ here: 0, offThread: 1 });

    const token = (await admin.acl.tokenCreate({ Name: 'r', Type: 'client', Policies: ['reader'] }))
      .data;
    const reader = server.clientFor({ token: token.SecretID });
    for (let i = 0; i < 3; i++) {
      const read = (await reader.acl.policyInfo('reader')).data;
      expect(read.RulesJSON).toMatchObject({
        Namespaces: [{ Name: 'default', Policy: 'read' }],
        Raw: rules,
      });
      expect((await admin.acl.policyInfo('reader')).data.RulesJSON).toEqual(read.RulesJSON);
      // The token's ACL is compiled from the same parsed policy.
      expect((await reader.jobs.list()).data).toEqual([]);
      expect((await failure(reader.acl.tokens())).status).toBe(403);
    }
    expect(parsesSince(before)).toEqual({ here: 0, offThread: 1 });
  });

  test('a stored policy not parsed yet is parsed on the parser thread for a read, once', async () => {
    const rules = unique('node { policy = "write" }');
    await putPolicy(server.store, 'stored', rules);
    const before = policyCache.stats();
    for (let i = 0; i < 3; i++) {
      expect((await admin.acl.policyInfo('stored')).data.RulesJSON).toMatchObject({
        Node: { Policy: 'write' },
        Raw: rules,
      });
    }
    expect(parsesSince(before)).toEqual({ here: 0, offThread: 1 });
  });

  test('rules over the size limit are refused unparsed, with the limit in the text', async () => {
    const rules = `node { policy = "read" }\n# ${'x'.repeat(MAX_POLICY_BYTES)}`;
    const before = policyCache.stats();
    const error = await failure(admin.acl.policyUpsert({ Name: 'big', Rules: rules }));
    expect([error.status, error.message]).toEqual([
      400,
      `policy 0 invalid: ${multiError([
        `failed to parse rules: Failed to parse ACL Policy: the rules are ${Buffer.byteLength(rules)} bytes, more than the ${MAX_POLICY_BYTES} allowed`,
      ])}`,
    ]);
    expect(parsesSince(before).offThread).toBe(0);
  });

  test('writes beyond what the parser can queue are refused as busy, the others accepted', async () => {
    const answers = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        server.inject({
          method: 'PUT',
          url: `/v1/acl/policy/many-${i}`,
          headers: { 'x-nomad-token': rootSecret },
          payload: { Name: `many-${i}`, Rules: blocksOf(16) },
        }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s !== 200 && s !== 400)).toEqual([]);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(17);
    for (const refused of answers.filter((a) => a.statusCode === 400)) {
      expect(refused.body).toBe(
        'the ACL policy parser is busy: 16 policies are waiting to be parsed; try again',
      );
    }
    expect(statuses).toContain(400);
    expect((await admin.acl.policies()).data).toHaveLength(
      statuses.filter((s) => s === 200).length,
    );
  });
});
