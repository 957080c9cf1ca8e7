// fast-check generators of ACL policy rules (Nomad's policy language, HCL or JSON): valid
// policies built from every block and capability (and some that are not), the same broken by
// truncation or a stray character, hand-picked broken rules, and rules at the server's bounds
// (size and nesting, just under and just over). No server code here, so a worker thread can run
// it; the bounds are copied from @berth/acl and the fuzz test checks that they still match.
import fc from 'fast-check';

/** @berth/acl's MAX_POLICY_BYTES: the largest rules the server parses. */
export const POLICY_LIMIT_BYTES = 128 * 1024;

/** @berth/acl's MAX_POLICY_NESTING: the deepest rules the server parses. */
export const POLICY_LIMIT_NESTING = 32;

const namespaceCapabilities = [
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
  'read-job-ish',
  'READ-JOB',
  '',
  'x'.repeat(300),
];
const shorthands = ['read', 'write', 'deny', 'scale', 'list', 'register', 'admin', 'Read', ''];
const labels = [
  'default',
  '*',
  'prod-*',
  '*-api',
  'a*b*c',
  '**',
  'fuzz-ns',
  '',
  'with space',
  'ümlaut',
  '"',
  '${var}',
  'x'.repeat(300),
];
const variablePaths = ['*', 'nomad/jobs/*', 'a/b/c', '', 'nomad/*/x', 'x'.repeat(200)];
const variableCapabilities = ['read', 'write', 'list', 'destroy', 'deny', 'bogus'];
const coarseBlocks = ['node', 'agent', 'operator', 'quota', 'plugin', 'sentinel', 'not_a_block'];

/** One block of a policy, as the generator models it. */
interface Block {
  kind: string;
  /** Absent for coarse blocks (`node { ... }`). */
  label?: string;
  policy?: string;
  capabilities?: string[];
  variables?: { path: string; capabilities: string[] }[];
}

const labelled = fc.record(
  {
    kind: fc.constantFrom('namespace', 'namespace', 'node_pool', 'host_volume'),
    label: fc.constantFrom(...labels),
    policy: fc.constantFrom(...shorthands),
    capabilities: fc.array(fc.constantFrom(...namespaceCapabilities), { maxLength: 6 }),
    variables: fc.array(
      fc.record({
        path: fc.constantFrom(...variablePaths),
        capabilities: fc.array(fc.constantFrom(...variableCapabilities), { maxLength: 4 }),
      }),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: ['kind', 'label'] },
);

const coarse = fc.record(
  {
    kind: fc.constantFrom(...coarseBlocks),
    policy: fc.constantFrom('read', 'write', 'deny', 'list', 'scale', 'bogus', ''),
    capabilities: fc.array(fc.constantFrom('submit-job', 'list-jobs', 'bogus'), { maxLength: 2 }),
  },
  { requiredKeys: ['kind'] },
);

const blocks: fc.Arbitrary<Block[]> = fc.array(
  fc.oneof({ weight: 3, arbitrary: labelled }, { weight: 2, arbitrary: coarse }),
  { minLength: 1, maxLength: 5 },
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

/**
 * Rules at the server's bounds, built once. Parsing costs milliseconds per KiB of blocks, so the
 * block-heavy ones stay well under the size limit; the ones at the limit are mostly comment or
 * string, which the parser reads quickly, or are refused before it runs.
 */
const boundRules: readonly string[] = [
  // Size: exactly at the limit (parsed), one byte over, and over in bytes but not characters.
  padTo(simple, POLICY_LIMIT_BYTES),
  padTo(simple, POLICY_LIMIT_BYTES + 1),
  padTo(simple, POLICY_LIMIT_BYTES + 2, 'é'),
  padTo(simple, POLICY_LIMIT_BYTES - 1, 'é'),
  `namespace "a" { policy = <<EOT\n${'r'.repeat(POLICY_LIMIT_BYTES - 50)}\nEOT\n}`,
  `namespace "${'n'.repeat(POLICY_LIMIT_BYTES - 40)}" { policy = "read" }`,
  'x'.repeat(POLICY_LIMIT_BYTES * 4),
  // Many blocks: 8 KiB and 32 KiB of them, HCL and JSON.
  ...[8, 32].map((kib) => {
    let s = '';
    for (let i = 0; s.length < kib * 1024; i++) {
      s += `namespace "ns-${i}" {\n  policy = "read"\n  capabilities = ["submit-job"]\n}\n`;
    }
    return s;
  }),
  JSON.stringify({
    namespace: Object.fromEntries(
      Array.from({ length: 500 }, (_, i) => [
        `ns-${i}`,
        { policy: 'write', capabilities: ['read-logs'] },
      ]),
    ),
  }),
  `namespace "a" { capabilities = [${Array(3000).fill('"read-job"').join(', ')}] }`,
  // Nesting: at the limit, one over, far over; labels count; brackets inside strings, comments
  // and heredocs do not.
  ...[POLICY_LIMIT_NESTING - 1, POLICY_LIMIT_NESTING, POLICY_LIMIT_NESTING + 1, 100_000].flatMap(
    (d) => [
      nested(d, 'a {', '}'),
      nested(d, '{"a":', '}', '1'),
      nested(d, '[', ']'),
      `namespace "x" { capabilities = ${nested(d, '[', ']', '"read-job"')} }`,
      `namespace ${'"a" '.repeat(d)}{ policy = "read" }`,
    ],
  ),
  `${simple}\n# ${'{'.repeat(1000)}`,
  `${simple}\n/* ${'['.repeat(1000)} */`,
  `namespace "${'{'.repeat(1000)}" { policy = "read" }`,
  `namespace "a" { policy = <<EOT\n${'{'.repeat(1000)}\nEOT\n}`,
  `{"namespace": {"${'{'.repeat(1000)}": {"policy": "read"}}}`,
  `namespace "a" { policy = "\${${'{'.repeat(1000)}" }`,
];

/** A policy's rules: well-formed, damaged, hand-picked broken, at the bounds, or random. */
export const rulesArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: wellFormed },
  { weight: 2, arbitrary: damaged },
  { weight: 2, arbitrary: fc.constantFrom(...brokenRules) },
  { weight: 1, arbitrary: fc.constantFrom(...boundRules) },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.constant('') },
);
