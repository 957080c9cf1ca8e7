// fast-check generators of ACL policy rules (Nomad's policy language, HCL or JSON): valid
// policies built from every block and capability (and some that are not), the same broken by
// truncation or a stray character, hand-picked broken rules, and rules at the server's bounds
// (size and nesting, just under and just over). No server code here, so a worker thread can run
// it; the bounds are copied from @berth/acl and the fuzz test checks that they still match.
import fc from 'fast-check';

/** @berth/acl's MAX_POLICY_BYTES: the largest rules the server parses. */
export const POLICY_LIMIT_BYTES = 64 * 1024;

/** @berth/acl's MAX_POLICY_NESTING: the deepest rules the server parses. */
export const POLICY_LIMIT_NESTING = 32;

/**
 * A valid value 24 times in 25, else one of the invalid ones: a policy has a dozen such values,
 * and one invalid value refuses it, so about half of the policies built are valid.
 */
function mostly(valid: readonly string[], invalid: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 24, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: fc.constantFrom(...invalid) },
  );
}

const namespaceCapability = mostly(
  [
    'deny',
    'list-jobs',
    'parse-job',
    'read-job',
    'submit-job',
    'dispatch-job',
    'read-logs',
    'read-fs',
    'alloc-exec',
    'alloc-node-exec',
    'alloc-lifecycle',
    'csi-write-volume',
    'csi-read-volume',
    'csi-list-volume',
    'csi-mount-volume',
    'csi-register-plugin',
    'list-scaling-policies',
    'read-scaling-policy',
    'read-job-scaling',
    'scale-job',
    'sentinel-override',
    'submit-recommendation',
    'host-volume-create',
    'host-volume-read',
    'host-volume-write',
    'host-volume-delete',
    'host-volume-register',
  ],
  ['read-job-ish', 'READ-JOB', '', 'x'.repeat(300)],
);
const shorthand = mostly(['read', 'write', 'deny', 'scale'], ['list', 'admin', 'Read', '']);
const label = mostly(
  ['default', '*', 'prod-*', '*-api', 'a*b*c', '**', 'fuzz-ns', 'a'.repeat(128)],
  ['', 'with space', 'ümlaut', '"', '${var}', 'x'.repeat(300)],
);
const variablePath = mostly(['*', 'nomad/jobs/*', 'a/b/c', 'nomad/*/x'], ['', 'x'.repeat(200)]);
const variableCapability = mostly(['read', 'write', 'list', 'destroy', 'deny'], ['bogus']);

/** `arb`'s value one time in five, else undefined. */
function rarely<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}

const variables = rarely(
  fc.array(
    fc.record({
      path: variablePath,
      capabilities: fc.array(variableCapability, { maxLength: 4 }),
    }),
    { minLength: 1, maxLength: 2 },
  ),
);

/** One block of a policy, as the generator models it. */
interface Block {
  kind: string;
  /** Absent for coarse blocks (`node { ... }`). */
  label?: string;
  policy?: string;
  capabilities?: string[];
  variables?: { path: string; capabilities: string[] }[];
}

/** Each labelled block's valid capabilities (acl/policy.go); any other is refused in it. */
const labelledCapabilities: Record<string, fc.Arbitrary<string>> = {
  namespace: namespaceCapability,
  node_pool: mostly(['delete', 'read', 'write'], ['read-job', 'bogus']),
  host_volume: mostly(['deny', 'mount-readonly', 'mount-readwrite'], ['read-job', 'bogus']),
};

const labelled: fc.Arbitrary<Block> = fc
  .constantFrom('namespace', 'namespace', 'node_pool', 'host_volume')
  .chain((kind) =>
    fc.record(
      {
        kind: fc.constant(kind),
        label,
        policy: shorthand,
        capabilities: fc.array(labelledCapabilities[kind]!, { maxLength: 6 }),
        // Variables belong in namespace rules only: elsewhere they are refused.
        variables: kind === 'namespace' ? variables : rarely(variables),
      },
      { requiredKeys: ['kind', 'label'] },
    ),
  );

const coarse = fc.record(
  {
    kind: mostly(['node', 'agent', 'operator', 'quota', 'plugin'], ['sentinel', 'not_a_block']),
    policy: mostly(['read', 'write', 'deny'], ['list', 'scale', 'bogus', '']),
    // Capabilities belong in an operator block only.
    capabilities: rarely(fc.array(fc.constantFrom('submit-job', 'list-jobs', 'bogus'))),
  },
  { requiredKeys: ['kind'] },
);

const blocks: fc.Arbitrary<Block[]> = fc.array(
  fc.oneof({ weight: 3, arbitrary: labelled }, { weight: 2, arbitrary: coarse }),
  { minLength: 1, maxLength: 4 },
);

const hclList = (items: readonly string[]) => `[${items.map((i) => JSON.stringify(i)).join(', ')}]`;

function hclBlock(b: Block): string {
  const lines: string[] = [];
  if (b.policy !== undefined) lines.push(`  policy = ${JSON.stringify(b.policy)}`);
  if (b.capabilities !== undefined) lines.push(`  capabilities = ${hclList(b.capabilities)}`);
  if (b.variables !== undefined && b.variables.length > 0) {
    lines.push('  variables {');
    for (const v of b.variables) {
      lines.push(
        `    path ${JSON.stringify(v.path)} { capabilities = ${hclList(v.capabilities)} }`,
      );
    }
    lines.push('  }');
  }
  const head = b.label === undefined ? b.kind : `${b.kind} ${JSON.stringify(b.label)}`;
  return `${head} {\n${lines.join('\n')}\n}\n`;
}

/** The JSON form Nomad reads: `{"namespace": {"<label>": {"policy": ...}}, "node": {...}}`. */
function jsonRules(list: Block[]): string {
  const out: Record<string, unknown> = {};
  for (const b of list) {
    const body: Record<string, unknown> = {};
    if (b.policy !== undefined) body.policy = b.policy;
    if (b.capabilities !== undefined) body.capabilities = b.capabilities;
    if (b.variables !== undefined && b.variables.length > 0) {
      body.variables = {
        path: Object.fromEntries(
          b.variables.map((v) => [v.path, { capabilities: v.capabilities }]),
        ),
      };
    }
    if (b.label === undefined) out[b.kind] = body;
    else {
      const group = (out[b.kind] ?? {}) as Record<string, unknown>;
      group[b.label] = body;
      out[b.kind] = group;
    }
  }
  return JSON.stringify(out);
}

/** Rules the parser reads (most of them; a random block may still be refused by validation). */
const wellFormed: fc.Arbitrary<string> = fc
  .tuple(blocks, fc.boolean())
  .map(([list, json]) => (json ? jsonRules(list) : list.map(hclBlock).join('')));

/** Well-formed rules cut short or with one stray character put in. */
const damaged: fc.Arbitrary<string> = fc
  .tuple(
    wellFormed,
    fc.nat(),
    fc.constantFrom('', '{', '}', '[', ']', '"', '=', '#', '\n', '<<', '\\', '\u0000'),
  )
  .map(([rules, at, ch]) => {
    const i = at % (rules.length + 1);
    return ch === '' ? rules.slice(0, i) : rules.slice(0, i) + ch + rules.slice(i);
  });

const brokenRules = [
  ' ',
  '\n\n',
  '# only a comment',
  '/* unterminated',
  'namespace { policy = "read" }',
  'namespace "a" "b" { policy = "read" }',
  'namespace "a" { policy = }',
  'namespace "a" { policy = "read" ',
  'namespace "a" { policy = "read" }}',
  'namespace "a" { policy = 1 }',
  'namespace "a" { policy = ["read"] }',
  'namespace "a" { capabilities = "read-job" }',
  'namespace "a" { capabilities = [1, true] }',
  'namespace "a" { policy = "read" policy = "write" }',
  'namespace "a" { unknown = "x" }',
  'namespace = "a"',
  'namespace "a" {}\nnamespace "a" {}',
  'node { policy = "read" }\nnode { policy = "write" }',
  'node "x" { policy = "read" }',
  'agent = "read"',
  'namespace "a" { policy = <<EOT\nread\n',
  'namespace "a" { policy = <<EOT\nread\nEOT\n}',
  'namespace "${x}" { policy = "read" }',
  'namespace "a" { policy = "read" } garbage',
  'namespace "\\x" {}',
  'namespace "\\u00" {}',
  '\ud800',
  '\ufeffnamespace "a" { policy = "read" }',
  '{',
  '{"namespace": }',
  '{"namespace": {"a": {"policy": 1}}}',
  '{"namespace": [{"a": {"policy": "read"}}]}',
  '{"namespace": {"a": null}}',
  '{"namespace": {"a": {"policy": "read"}}, "namespace": {}}',
  '[]',
  '"read"',
  'null',
  '1',
  'true',
  '{"node": "read"}',
  '{"variables": {"path": {"*": {}}}}',
];

const nested = (depth: number, open: string, close: string, inner = '') =>
  open.repeat(depth) + inner + close.repeat(depth);

const padTo = (head: string, bytes: number, unit = 'x') => {
  const room = bytes - Buffer.byteLength(head) - 3;
  const units = Math.floor(room / Buffer.byteLength(unit));
  // Made up with ASCII where a multi-byte unit leaves a remainder, so the size is exact.
  const rest = room - units * Buffer.byteLength(unit);
  return `${head}\n# ${unit.repeat(units)}${'y'.repeat(rest)}`;
};

const simple = 'namespace "default" { policy = "read" }';

/** Rules at the server's bounds, and how the server must answer them. */
export interface PolicyBoundCase {
  name: string;
  rules: string;
  /**
   * `accepted`; refused as `too big` or `too deep` (before the parser runs); refused for
   * something else (`invalid`, never as too big or too deep); undefined: any answer but a 5xx.
   */
  outcome?: 'accepted' | 'too big' | 'too deep' | 'invalid';
}

function blocksOf(kib: number): string {
  let s = '';
  for (let i = 0; s.length < kib * 1024; i++) {
    s += `namespace "ns-${i}" {\n  policy = "read"\n  capabilities = ["submit-job"]\n}\n`;
  }
  return s;
}

/** Nesting at the limit, one level over, and far over (yet under the size limit). */
const nestings: { levels: number; outcome: PolicyBoundCase['outcome'] }[] = [
  { levels: POLICY_LIMIT_NESTING, outcome: 'invalid' },
  { levels: POLICY_LIMIT_NESTING + 1, outcome: 'too deep' },
  { levels: 10_000, outcome: 'too deep' },
];

/**
 * Rules at the server's bounds, built once. Parsing costs 3 to 10 ms per KiB of blocks, on the
 * server's parser thread (never its event loop), and the answer waits for it: blocks up to the
 * size limit take 0.3 to 0.7 s here, so the block-heavy ones stay at half the limit, inside the
 * 1 s bound on a slower machine; the other ones at the size limit are mostly comment or string,
 * which the parser reads quickly, or are refused before it runs.
 */
export const policyBoundCases: readonly PolicyBoundCase[] = [
  // Size: at the limit, one byte over, and over in bytes but not in characters.
  { name: 'at the size limit', rules: padTo(simple, POLICY_LIMIT_BYTES), outcome: 'accepted' },
  {
    name: 'a byte over the limit',
    rules: padTo(simple, POLICY_LIMIT_BYTES + 1),
    outcome: 'too big',
  },
  {
    name: 'over the limit in bytes, not characters',
    rules: padTo(simple, POLICY_LIMIT_BYTES + 2, 'é'),
    outcome: 'too big',
  },
  {
    name: 'a byte under the limit, multi-byte',
    rules: padTo(simple, POLICY_LIMIT_BYTES - 1, 'é'),
    outcome: 'accepted',
  },
  {
    name: 'a heredoc at the limit',
    rules: `namespace "a" { policy = <<EOT\n${'r'.repeat(POLICY_LIMIT_BYTES - 50)}\nEOT\n}`,
    outcome: 'invalid',
  },
  {
    name: 'a label at the limit',
    rules: `namespace "${'n'.repeat(POLICY_LIMIT_BYTES - 40)}" { policy = "read" }`,
    outcome: 'invalid',
  },
  { name: 'four times the limit', rules: 'x'.repeat(POLICY_LIMIT_BYTES * 4), outcome: 'too big' },
  // Many blocks.
  { name: '8 KiB of blocks', rules: blocksOf(8), outcome: 'accepted' },
  { name: '16 KiB of blocks', rules: blocksOf(16), outcome: 'accepted' },
  { name: '32 KiB of blocks', rules: blocksOf(32), outcome: 'accepted' },
  {
    name: '250 namespaces in JSON',
    rules: JSON.stringify({
      namespace: Object.fromEntries(
        Array.from({ length: 250 }, (_, i) => [
          `ns-${i}`,
          { policy: 'write', capabilities: ['read-logs'] },
        ]),
      ),
    }),
    outcome: 'accepted',
  },
  {
    name: '2,000 capabilities',
    rules: `namespace "a" { capabilities = [${Array(2000).fill('"read-job"').join(', ')}] }`,
    outcome: 'accepted',
  },
  // Nesting: each `{` or `[` is a level, and each label of a block one more.
  ...nestings.flatMap(({ levels: d, outcome }): PolicyBoundCase[] => [
    { name: `blocks ${d} deep`, rules: nested(d, 'a {', '}'), outcome },
    { name: `JSON ${d} deep`, rules: nested(d, '{"a":', '}', '1'), outcome },
    { name: `lists ${d} deep`, rules: nested(d, '[', ']'), outcome },
    {
      name: `capabilities ${d} deep`,
      rules: `namespace "x" { capabilities = ${nested(d - 2, '[', ']', '"read-job"')} }`,
      outcome,
    },
    {
      name: `${d - 1} labels`,
      rules: `namespace ${'"a" '.repeat(d - 1)}{ policy = "read" }`,
      // Under the limit, hcl reads the extra labels as nested blocks: not asserted here.
      ...(outcome === 'too deep' ? { outcome } : {}),
    },
  ]),
  // Brackets in comments, strings and heredocs are no nesting.
  { name: 'braces in a comment', rules: `${simple}\n# ${'{'.repeat(1000)}`, outcome: 'accepted' },
  {
    name: 'brackets in a block comment',
    rules: `${simple}\n/* ${'['.repeat(1000)} */`,
    outcome: 'accepted',
  },
  {
    name: 'braces in a label',
    rules: `namespace "${'{'.repeat(1000)}" { policy = "read" }`,
    outcome: 'invalid',
  },
  {
    name: 'braces in a heredoc',
    rules: `namespace "a" { policy = <<EOT\n${'{'.repeat(1000)}\nEOT\n}`,
    outcome: 'invalid',
  },
  {
    name: 'braces in a JSON key',
    rules: `{"namespace": {"${'{'.repeat(1000)}": {"policy": "read"}}}`,
    outcome: 'invalid',
  },
  // hcl keeps a string open across `${`: the scan may count these, and must not break.
  {
    name: 'braces after an interpolation',
    rules: `namespace "a" { policy = "\${${'{'.repeat(1000)}" }`,
  },
];

/** A policy's rules: well-formed, damaged, hand-picked broken, at the bounds, or random. */
export const rulesArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: wellFormed },
  { weight: 2, arbitrary: damaged },
  { weight: 2, arbitrary: fc.constantFrom(...brokenRules) },
  { weight: 1, arbitrary: fc.constantFrom(...policyBoundCases.map((c) => c.rules)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.constant('') },
);
