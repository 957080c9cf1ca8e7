import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileAcl, globMatch, parsePolicy } from './index.js';
import type { NamespaceCapability, Policy } from './index.js';

// Random policies over a small alphabet, so that names, globs and capabilities collide often.
const CAPS: NamespaceCapability[] = ['read-job', 'submit-job', 'alloc-lifecycle', 'deny'];
const QUERY_CAPS: NamespaceCapability[] = [
  'read-job',
  'submit-job',
  'alloc-lifecycle',
  'list-jobs',
];

interface Rule {
  name: string;
  policy: '' | 'read' | 'write' | 'scale' | 'deny';
  capabilities: NamespaceCapability[];
}

const namespaceName = fc
  .array(fc.constantFrom('a', 'b', '-'), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join(''));
const ruleName = fc
  .array(fc.constantFrom('a', 'b', '-', '*'), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(''));
const rule: fc.Arbitrary<Rule> = fc.record({
  name: ruleName,
  policy: fc.constantFrom('', 'read', 'write', 'scale', 'deny'),
  capabilities: fc.subarray(CAPS),
});
const policies = fc.array(fc.array(rule, { maxLength: 4 }), { minLength: 1, maxLength: 3 });

function hcl(rules: Rule[]): string {
  return rules
    .map((r) => {
      const lines = [`namespace "${r.name}" {`];
      if (r.policy !== '') lines.push(`  policy = "${r.policy}"`);
      lines.push(`  capabilities = [${r.capabilities.map((c) => `"${c}"`).join(', ')}]`);
      return [...lines, '}'].join('\n');
    })
    .join('\n');
}

function json(rules: Rule[]): string {
  const namespace = rules.map((r) => ({
    [r.name]: { ...(r.policy === '' ? {} : { policy: r.policy }), capabilities: r.capabilities },
  }));
  return JSON.stringify({ namespace, agent: { policy: 'read' } });
}

/** Policies with rules; a policy with none stands for an agent-only policy. */
function parseAll(sets: Rule[][]): Policy[] {
  return sets.map((rules) =>
    parsePolicy(rules.length === 0 ? 'agent { policy = "read" }' : hcl(rules)),
  );
}

describe('compiled ACLs (properties)', () => {
  it('never grant a capability that no rule matching the namespace grants', () => {
    fc.assert(
      fc.property(policies, namespaceName, fc.constantFrom(...QUERY_CAPS), (sets, ns, cap) => {
        const parsed = parseAll(sets);
        if (!compileAcl(parsed).allowNamespaceOperation(ns, cap)) return;
        const granting = parsed
          .flatMap((p) => p.namespaces)
          .filter((r) => globMatch(r.name, ns) && r.capabilities.includes(cap));
        expect(granting).not.toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('let deny win: a deny rule for a namespace leaves it nothing, whatever else grants', () => {
    fc.assert(
      fc.property(policies, namespaceName, fc.nat(3), fc.boolean(), (sets, ns, at, viaCap) => {
        const deny: Rule = viaCap
          ? { name: ns, policy: 'write', capabilities: ['read-job', 'deny'] }
          : { name: ns, policy: 'deny', capabilities: [] };
        const withDeny = [...sets];
        withDeny.splice(at % (sets.length + 1), 0, [deny]);
        const acl = compileAcl(parseAll(withDeny));
        expect(acl.allowNamespace(ns)).toBe(false);
        for (const cap of QUERY_CAPS) expect(acl.allowNamespaceOperation(ns, cap)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('answer for a namespace with exact rules by their union, unless one denies', () => {
    fc.assert(
      fc.property(policies, fc.constantFrom(...QUERY_CAPS), (sets, cap) => {
        const parsed = parseAll(sets);
        const acl = compileAcl(parsed);
        const rules = parsed.flatMap((p) => p.namespaces).filter((r) => !r.name.includes('*'));
        for (const name of new Set(rules.map((r) => r.name))) {
          const same = rules.filter((r) => r.name === name);
          const denied = same.some((r) => r.capabilities.includes('deny'));
          const granted = same.some((r) => r.capabilities.includes(cap));
          expect(acl.allowNamespaceOperation(name, cap)).toBe(!denied && granted);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('do not depend on the order of the policies', () => {
    fc.assert(
      fc.property(policies, namespaceName, fc.constantFrom(...QUERY_CAPS), (sets, ns, cap) => {
        const forward = compileAcl(parseAll(sets));
        const backward = compileAcl(parseAll([...sets].reverse()));
        expect(backward.allowNamespaceOperation(ns, cap)).toBe(
          forward.allowNamespaceOperation(ns, cap),
        );
        expect(backward.allowNamespace(ns)).toBe(forward.allowNamespace(ns));
        expect(backward.allowAnyNamespaceOperation(cap)).toBe(
          forward.allowAnyNamespaceOperation(cap),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('grant `*` requests exactly when some rule grants the capability', () => {
    fc.assert(
      fc.property(policies, fc.constantFrom(...QUERY_CAPS), (sets, cap) => {
        const parsed = parseAll(sets);
        const merged = compileAcl(parsed);
        // Per rule name: the merged set, which `deny` in any policy empties.
        const names = new Set(parsed.flatMap((p) => p.namespaces.map((r) => r.name)));
        const anyGrants = [...names].some((name) => {
          const same = parsed.flatMap((p) => p.namespaces).filter((r) => r.name === name);
          return (
            !same.some((r) => r.capabilities.includes('deny')) &&
            same.some((r) => r.capabilities.includes(cap))
          );
        });
        expect(merged.allowAnyNamespaceOperation(cap)).toBe(anyGrants);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parsed policies (properties)', () => {
  it('are the same written in HCL or in JSON', () => {
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 4 }), (rules) => {
        const fromHcl = parsePolicy(`${hcl(rules)}\nagent { policy = "read" }`);
        expect(parsePolicy(json(rules))).toEqual(fromHcl);
        expect(fromHcl.namespaces.map((r) => r.name)).toEqual(rules.map((r) => r.name));
      }),
      { numRuns: 200 },
    );
  });

  it('refuse any text only with a PolicyParseError', () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom(
        'namespace',
        'node',
        'node_pool',
        'host_volume',
        'agent',
        'operator',
        'plugin',
        'variables',
        'path',
        'policy',
        'capabilities',
        '"default"',
        '"*"',
        '"read"',
        '"deny"',
        '=',
        '{',
        '}',
        '[',
        ']',
        ',',
        ':',
        '"',
        '\n',
        ' ',
        '#',
        '<<EOF\n',
        '\\',
        '0x',
        '1e999',
        'true',
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.boolean(), (pieces, strict) => {
        try {
          parsePolicy(pieces.join(''), { strict });
        } catch (error) {
          expect(error).toHaveProperty('name', 'PolicyParseError');
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
