// fast-check generators of hostile requests for every contract route: malformed paths (bad,
// overlong and percent-encoded IDs, policy names and token accessors, wrong methods), every
// declared query option with garbage, headers (a token from the pool of callers, content types,
// origins) and bodies (valid-ish objects with mutated fields, ACL policies and tokens from
// acl-bodies.ts, huge counts, deep nesting, wrong JSON kinds, truncated JSON, huge strings).
// Shared by the fuzz test and the fuzz benchmark; no server code here, so a worker thread can
// run it.
import { waitParam } from '@berth/contract';
import fc from 'fast-check';
import { bootstrapBody, policyBody, tokenBody } from './acl-bodies.js';
import { PATH_VALUE, RAW } from './body-markers.js';
import type { FuzzRoute } from './contract-routes.js';

/** The ACL callers and objects the fuzzed server was seeded with (ACLs are on). */
export interface FuzzAclTargets {
  /** The bootstrap token's secret: a management token, never lost for long (fuzz-acl.ts). */
  management: string;
  /** Secrets of the other live tokens: client tokens of several policies, one management. */
  others: string[];
  /** Secrets of the live management tokens (the bootstrap token's and one of `others`). */
  managers: string[];
  /** Secrets of tokens past their expiry. */
  expired: string[];
  /** The AccessorID of every seeded token, the bootstrap token's included. */
  accessors: string[];
  /** Names of the seeded policies (`anonymous` among them). */
  policies: string[];
}

/** The objects the fuzzed server was seeded with, so that some requests reach real objects. */
export interface FuzzTargets {
  jobIDs: string[];
  allocIDs: string[];
  evalIDs: string[];
  nodeIDs: string[];
  /** Names of existing namespaces (`default` and a seeded one nothing lives in). */
  namespaces: string[];
  /** The SecretID of each node, in the order of `nodeIDs`. */
  nodeSecrets: string[];
  /** The server's own address (an `Origin` that may write). */
  address: string;
  acl: FuzzAclTargets;
}

/** One request, ready for node:http. `body` is bytes so invalid UTF-8 can be sent. */
export interface FuzzRequest {
  /** The contract route it was made from (for reports). */
  route: string;
  method: string;
  /** Path and query, sent verbatim. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** Largest generated body: above fastify's 1 MiB limit, below anything that strains the test. */
export const MAX_BODY_BYTES = 1_200_000;

/** A closed loopback port: signal and restart forwarded to a fuzzed node fail at once, locally. */
const DEAD_AGENT = '127.0.0.1:1';

// ── Scalars ───────────────────────────────────────────────────────────────────────────────────

const hugeIntegers = [
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775809',
  '18446744073709551615',
  '18446744073709551616',
  '1' + '0'.repeat(400),
  '2147483648',
  '-2147483649',
  '4294967296',
  '1e308',
  '1e400',
  '-0',
];

const numberText = fc.oneof(
  fc.constantFrom(...hugeIntegers, '-1', '0', '1.5', '1e3', '0x10', '', ' 1', '+1', '007', 'NaN'),
  fc.integer().map(String),
  fc.double({ noNaN: true }).map(String),
);

const boolText = fc.constantFrom(
  'true',
  'false',
  'maybe',
  'TRUE',
  'tRuE',
  '2',
  '',
  'yes',
  'T',
  '0',
);

const durationText = fc.constantFrom(
  '10',
  '1h',
  '-5s',
  '1.5.5s',
  '9999999999999h',
  '1ns',
  '5µs',
  '1.5ms',
  '0',
  '100ms',
  '1m30s',
  's',
  '-',
  '.s',
  '1e3s',
  `${'9'.repeat(40)}ns`,
);

/** Filters that are slow on a backtracking engine, deep, long, or broken. */
export const pathologicalFilters: readonly string[] = [
  'ID matches "^(a+)+$"',
  'JobID matches "^(a+)+$"',
  'Name matches "^(a|aa)+$"',
  'ID matches "(a|aa)+$"',
  'ID matches "^(a|a?)+$"',
  'ID matches "(x+x+)+y"',
  'Name matches "(?i)linux"',
  'ID matches "\\Q.*\\E"',
  'ID matches "[[:alpha:]]+"',
  'ID matches "\\pL+"',
  'ID matches "(?<name>a)"',
  'ID matches "a{1000}{1000}"',
  'ID matches "((((((((((a*)*)*)*)*)*)*)*)*)*)*b"',
  'ID matches "["',
  `${'('.repeat(1000)}ID == "a"${')'.repeat(1000)}`,
  `${'('.repeat(5000)}`,
  `${'not '.repeat(1000)}ID == "a"`,
  Array.from({ length: 300 }, (_, i) => `ID == "${i}"`).join(' or '),
  Array.from({ length: 200 }, () => 'ID matches "^(a+)+$"').join(' or '),
  '"" in Meta',
  'Job.TaskGroups.0 == web',
  'TaskGroups.99999999999999999999 is empty',
  'ID == ',
  '== ==',
  '"unterminated',
  'ID in ["a"]',
  'Meta["x"] == "y"',
  '\u0000',
];

/** A filter: pathological, valid-looking or random text. */
const filterText = fc.oneof(
  fc.constantFrom(...pathologicalFilters),
  fc
    .tuple(
      fc.constantFrom(
        'ID',
        'Name',
        'Status',
        'JobID',
        'Meta.owner',
        'NodeID',
        'TaskGroups',
        'AccessorID',
        'Type',
        'Policies',
        'Global',
        'ExpirationTime',
      ),
      fc.constantFrom('==', '!=', 'matches', 'not matches', 'contains', 'in', 'is empty'),
      fc.string({ maxLength: 30 }),
    )
    .map(([sel, op, v]) => `${sel} ${op} ${JSON.stringify(v)}`),
  fc.string({ maxLength: 60 }),
);

/** An ID-ish string: real objects, UUIDs, prefixes and junk. */
function idText(real: string[]): fc.Arbitrary<string> {
  // Real objects weigh most, so that many requests get past the lookup into the endpoint.
  const some = real.length > 0 ? [{ weight: 5, arbitrary: fc.constantFrom(...real) }] : [];
  return fc.oneof(
    ...some,
    ...(real.length > 0
      ? [fc.tuple(fc.constantFrom(...real), fc.nat(36)).map(([id, n]) => id.slice(0, n))]
      : []),
    fc.uuid(),
    fc.string({ unit: fc.constantFrom(...'0123456789abcdef-'), maxLength: 40 }),
    fc.string({ maxLength: 40 }),
    fc.constantFrom('', '*', '..', 'default', 'null', 'a'.repeat(101), 'a'.repeat(5000)),
  );
}

const isAcl = (route: FuzzRoute) => route.key.startsWith('acl.');

/** A query value for one option, garbage chosen by the option's name. */
function queryValue(route: FuzzRoute, key: string, t: FuzzTargets): fc.Arbitrary<string> {
  switch (key) {
    case 'index':
    case 'per_page':
    case 'eval_priority':
      return numberText;
    case 'wait':
      return durationText;
    case 'filter':
      return filterText;
    case 'prefix':
    case 'next_token':
    case 'job':
      return idText(
        isAcl(route)
          ? [...t.acl.accessors, ...t.acl.policies]
          : [...t.allocIDs, ...t.jobIDs, ...t.evalIDs],
      );
    case 'namespace':
      return fc.constantFrom('default', '*', '', 'nope', 'a'.repeat(300), '%zz');
    default:
      return fc.oneof(boolText, numberText, fc.string({ maxLength: 20 }));
  }
}

/** `k=v` with the value percent-encoded most of the time, raw (possibly malformed) sometimes. */
function queryPair(key: string, value: string, raw: boolean): string {
  return raw ? `${key}=${value}` : `${key}=${encodeURIComponent(value)}`;
}

/**
 * A blocking query with a valid index and no short wait would legitimately block for minutes, which
 * is no hang: such waits are shortened (garbage waits stay, they answer 400 before any blocking).
 */
function boundWait(pairs: Map<string, string>): void {
  const parsed = waitParam.safeParse(pairs.get('wait'));
  if (parsed.success && !(parsed.data > 0 && parsed.data <= 300)) pairs.set('wait', '50ms');
}

function queryText(route: FuzzRoute, t: FuzzTargets): fc.Arbitrary<string> {
  const keys = route.queryKeys;
  const declared =
    keys.length === 0
      ? fc.constant([] as [string, string][])
      : fc
          .subarray(keys, { maxLength: keys.length })
          .chain((chosen) =>
            chosen.length === 0
              ? fc.constant([] as [string, string][])
              : fc.tuple(
                  ...chosen.map((k) =>
                    queryValue(route, k, t).map((v) => [k, v] as [string, string]),
                  ),
                ),
          );
  return fc
    .record({
      declared,
      raw: fc.boolean(),
      extra: fc.constantFrom(
        '',
        'unknown=1',
        'index=1&index=2',
        'filter[0]=x',
        'a[b]=c',
        'novalue',
        '&&&',
        '=x',
        '%zz=1',
        'x=%',
        'pretty',
        'stale',
        'x='.concat('y'.repeat(5000)),
      ),
    })
    .map(({ declared: d, raw, extra }) => {
      const pairs = new Map(d);
      if (keys.includes('wait') && keys.includes('index')) boundWait(pairs);
      const parts = [...pairs].map(([k, v]) => queryPair(k, v, raw));
      if (extra !== '') parts.push(extra);
      return parts.length === 0 ? '' : `?${parts.join('&')}`;
    });
}

// ── Paths ─────────────────────────────────────────────────────────────────────────────────────

function targetsFor(route: FuzzRoute, param: string, t: FuzzTargets): string[] {
  // `self` and `onetime` are static paths beside these parameters' routes.
  if (isAcl(route) && param === 'name') return [...t.acl.policies, 'self'];
  if (isAcl(route) && param === 'accessor') return [...t.acl.accessors, 'self', 'onetime'];
  if (param === 'allocID') return t.allocIDs;
  if (param === 'jobID') return t.jobIDs;
  if (param === 'evalID') return t.evalIDs;
  if (param === 'nodeID') return t.nodeIDs;
  if (param === 'name') return t.namespaces;
  return [];
}

/** A path segment as sent, and the parameter's value as the server decodes it. */
interface Segment {
  text: string;
  value: string;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch (error) {
    // Malformed percent-encoding: the server refuses it before any body is read.
    if (error instanceof URIError) return text;
    throw error;
  }
}

/** One path segment for a parameter: encoded as a client would, or raw and malformed. */
function pathSegment(route: FuzzRoute, param: string, t: FuzzTargets): fc.Arbitrary<Segment> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: idText(targetsFor(route, param, t)).map((value) => ({
        text: encodeURIComponent(value),
        value,
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '%',
          '%zz',
          '%E0%A4%A',
          '%00',
          '%2F',
          '%2e%2e',
          '..',
          '.',
          '%C0%AE',
          '%FF%FE',
          'a%20b',
          '%25',
          `${'%41'.repeat(200)}`,
          'x'.repeat(100),
          'x'.repeat(101),
          'x'.repeat(60_000),
        )
        .map((text) => ({ text, value: decoded(text) })),
    },
  );
}

/** The path, and the value of its last parameter ('' when it has none). */
function pathText(route: FuzzRoute, t: FuzzTargets): fc.Arbitrary<{ path: string; value: string }> {
  const segments =
    route.pathParams.length === 0
      ? fc.constant([] as Segment[])
      : fc.tuple(...route.pathParams.map((p) => pathSegment(route, p, t)));
  return fc
    .record({
      segments,
      shape: fc.oneof(
        { weight: 12, arbitrary: fc.constant('as-is') },
        { weight: 1, arbitrary: fc.constantFrom('trailing-slash', 'extra', 'double-slash') },
      ),
    })
    .map(({ segments: values, shape }) => {
      let i = 0;
      let path = route.path.replace(/:([A-Za-z0-9_]+)/g, () => values[i++]?.text ?? '');
      if (shape === 'trailing-slash') path += '/';
      if (shape === 'extra') path += '/extra';
      if (shape === 'double-slash') path = path.replace('/v1/', '/v1//');
      return { path, value: values.at(-1)?.value ?? '' };
    });
}

/** The path with seeded objects (mostly) or any ID-ish text as its parameters, encoded. */
function plainPath(
  route: FuzzRoute,
  t: FuzzTargets,
): fc.Arbitrary<{ path: string; value: string }> {
  const values = route.pathParams.map((param) => {
    const real = targetsFor(route, param, t);
    return real.length === 0
      ? idText(real)
      : fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...real) }, idText(real));
  });
  return fc.tuple(...values).map((chosen) => {
    let i = 0;
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, () => encodeURIComponent(chosen[i++]!));
    return { path, value: chosen.at(-1) ?? '' };
  });
}

const methodText = (route: FuzzRoute) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(route.method) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'FOO'),
    },
  );

// ── Headers ───────────────────────────────────────────────────────────────────────────────────

/**
 * The caller: no token (anonymous), one that is no UUID, an unknown or expired one, a seeded
 * client token, the management token (most often: it reaches deepest), or a node's secret.
 */
function secretArb(t: FuzzTargets): fc.Arbitrary<string | undefined> {
  const management = t.acl.management;
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.string({ unit: 'grapheme-ascii', maxLength: 80 }),
        fc.constantFrom(
          '',
          ' ',
          'Bearer x',
          'a'.repeat(4000),
          management.toUpperCase(),
          management.slice(0, 35),
          `${management}0`,
          `{${management}}`,
        ),
      ),
    },
    { weight: 1, arbitrary: fc.oneof(fc.uuid(), fc.constantFrom(...t.acl.expired)) },
    { weight: 3, arbitrary: fc.constantFrom(...t.acl.others) },
    { weight: 4, arbitrary: fc.constant(management) },
    { weight: 1, arbitrary: fc.constantFrom(...t.nodeSecrets) },
  );
}

/** Where the secret goes: `X-Nomad-Token` mostly, else `Authorization` (or both, see headers.ts). */
function tokenHeaders(secret: string | undefined, carrier: string): Record<string, string> {
  if (secret === undefined) return {};
  if (carrier === 'bearer') return { authorization: `Bearer ${secret}` };
  if (carrier === 'padded') return { 'x-nomad-token': ` ${secret}\t` };
  // A blank X-Nomad-Token gives way to the Authorization header.
  if (carrier === 'both') return { 'x-nomad-token': ' ', authorization: `bEaReR ${secret} x` };
  if (carrier === 'basic') return { authorization: `Basic ${secret}` };
  return { 'x-nomad-token': secret };
}

function headersArb(t: FuzzTargets): fc.Arbitrary<Record<string, string>> {
  const token = fc.record({
    secret: secretArb(t),
    carrier: fc.oneof(
      { weight: 12, arbitrary: fc.constant('x-nomad-token') },
      { weight: 1, arbitrary: fc.constantFrom('bearer', 'padded', 'both', 'basic') },
    ),
  });
  const contentType = fc.option(
    fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'application/json, text/plain',
      '*/*',
      ';;;',
      '',
    ),
    { nil: undefined },
  );
  // Mostly absent: a foreign Origin on a write is refused before anything deeper is reached.
  const origin = fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        t.address,
        'http://evil.example',
        'null',
        'https://127.0.0.1:1',
        'x',
      ),
    },
  );
  const acceptEncoding = fc.option(fc.constantFrom('gzip', 'br', 'deflate', 'gzip;q=0, *', 'x'), {
    nil: undefined,
  });
  return fc
    .record({ token, contentType, origin, acceptEncoding })
    .map(({ token: tok, contentType: ct, origin: o, acceptEncoding: ae }) => {
      const h: Record<string, string> = tokenHeaders(tok.secret, tok.carrier);
      if (ct !== undefined) h['content-type'] = ct;
      if (o !== undefined) h.origin = o;
      if (ae !== undefined) h['accept-encoding'] = ae;
      return h;
    });
}

// ── Bodies ────────────────────────────────────────────────────────────────────────────────────

/** A valid-looking job in Nomad's JSON, as users submit it. */
function baseJob(id: string, count: number): Record<string, unknown> {
  return {
    ID: id,
    Name: id,
    Type: 'service',
    Datacenters: ['dc1'],
    Priority: 50,
    Meta: { owner: 'fuzz' },
    Constraints: [{ LTarget: '${attr.kernel.name}', RTarget: 'linux', Operand: '=' }],
    TaskGroups: [
      {
        Name: 'web',
        Count: count,
        Tasks: [
          {
            Name: 'web',
            Driver: 'raw_exec',
            Config: { command: '/bin/true' },
            Resources: { CPU: 10, MemoryMB: 10 },
          },
        ],
      },
    ],
  };
}

function baseNode(id: string, secret: string): Record<string, unknown> {
  return {
    ID: id,
    SecretID: secret,
    Name: 'fuzz-node',
    Datacenter: 'dc1',
    NodePool: 'default',
    HTTPAddr: DEAD_AGENT,
    Attributes: { 'kernel.name': 'linux', 'driver.raw_exec': '1' },
    NodeResources: {
      Cpu: { CpuShares: 1000 },
      Memory: { MemoryMB: 1024 },
      Disk: { DiskMB: 1024 },
    },
    Drivers: { raw_exec: { Detected: true, Healthy: true } },
    Status: 'ready',
  };
}

const garbageValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...hugeIntegers.map((n) => RAW + n)),
  fc.constantFrom(0, -1, 1.5, 1e9, 50_000, 50_001, 2 ** 53, -(2 ** 31), 256, 101),
  fc.constantFrom(null, true, false, '', '10', 'x'.repeat(1000), [], {}, [[]], { '': null }),
  fc.constantFrom('^(a+)+$', '(?i)linux', '[', '\\', '${attr.kernel.name}', '${', '%', '\u0000'),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ maxLength: 50 }),
);

/** Every [path, value] of an object tree, bounded in count (the trees here are small). */
function leaves(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []) {
  if (out.length > 500) return out;
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => leaves(v, [...at, i], out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) leaves(v, [...at, k], out);
  }
  return out;
}

/** `value` with the node at `path` replaced (or removed when `replacement` is undefined). */
function replaceAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...(value as unknown[])];
    copy[head as number] = replaceAt(copy[head as number], rest, replacement);
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  if (rest.length === 0 && replacement === undefined) delete copy[head as string];
  else copy[head as string] = replaceAt(copy[head as string], rest, replacement);
  return copy;
}

/** Up to three fields of `base` replaced by garbage or removed. */
function mutated(base: unknown): fc.Arbitrary<unknown> {
  const paths = leaves(base);
  const one = fc.tuple(
    fc.constantFrom(...paths),
    fc.option(garbageValue, { freq: 6, nil: undefined }),
  );
  return fc.array(one, { minLength: 0, maxLength: 3 }).map((edits) => {
    let value = base;
    for (const [path, v] of edits) {
      try {
        value = replaceAt(value, path, v);
      } catch (error) {
        // An earlier edit turned a container on this path into a scalar: skip the edit.
        if (error instanceof TypeError) continue;
        throw error;
      }
    }
    return value;
  });
}

function stringify(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  // Raw literals were strings in the tree: unquote them into bare numbers.
  return text.replace(/"\\u0000raw:([^"]*)"/g, '$1');
}

function nested(depth: number, open: string, close: string, inner = '1'): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

/** Deep and large bodies, built once: sent as they are, never mutated. */
const bigBodies: readonly Buffer[] = [
  ...[100, 1000, 5000, 50_000, 100_000].flatMap((d) => [
    nested(d, '[', ']'),
    nested(d, '{"a":', '}'),
    nested(d, '{"Job":', '}'),
  ]),
  ...[1000, 100_000, MAX_BODY_BYTES].map((n) => `{"Job":{"ID":"${'x'.repeat(n - 20)}"}}`),
].map((s) => Buffer.from(s));

/** Bodies that are broken whatever the route: wrong kinds, truncation, nesting, size, bytes. */
const brokenBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .constantFrom(
      '[]',
      '"str"',
      '1',
      'null',
      'true',
      '{}',
      '{"Job":null}',
      '{"Job":[]}',
      '{"Job":1}',
    )
    .map((s) => Buffer.from(s)),
  fc.constantFrom(...bigBodies),
  fc.constantFrom(
    Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
    Buffer.from('{"Job":{"ID":"\udc00"}}'),
    Buffer.from([0x7b, 0x22, 0xc0, 0xae, 0x22, 0x3a, 0x31, 0x7d]),
    Buffer.from('   '),
    Buffer.from(''),
    Buffer.from('{"a":1,"a":2}'),
    Buffer.from('{"__proto__":{"polluted":1}}'),
    Buffer.from('{"constructor":{"prototype":{"x":1}}}'),
  ),
  fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(stringify(v))),
);

/** The body of an ACL write before mutation (acl-bodies.ts); undefined for other routes. */
function aclBody(route: FuzzRoute, t: FuzzTargets): fc.Arbitrary<unknown> | undefined {
  const key = route.key;
  if (key.startsWith('acl.policyUpsert')) return policyBody(t);
  if (key.startsWith('acl.tokenCreate')) return tokenBody(t, false);
  if (key.startsWith('acl.tokenUpdate')) return tokenBody(t, true);
  if (key.startsWith('acl.bootstrap')) return bootstrapBody(t);
  return undefined;
}

/** A valid-ish body for the route, mutated; or the same truncated. */
function routeBody(route: FuzzRoute, t: FuzzTargets): fc.Arbitrary<Buffer> {
  const key = route.key;
  const acl = aclBody(route, t);
  let base: fc.Arbitrary<unknown>;
  if (acl !== undefined) {
    base = acl.chain(mutated);
  } else if (key.startsWith('jobs.register') || key.startsWith('jobs.update')) {
    base = fc
      .record({
        id: fc.constantFrom(...t.jobIDs, 'fuzz-job', 'fuzz-job-2', 'a'.repeat(101)),
        count: fc.constantFrom(0, 1, 2, 3, 1e9, 50_001, -1),
      })
      .chain(({ id, count }) => mutated({ Job: baseJob(id, count) }));
  } else if (key === 'nodeAgent.register') {
    base = fc
      .tuple(fc.nat(t.nodeIDs.length), fc.boolean(), fc.boolean())
      .chain(([i, existing, wrapped]) => {
        // New nodes under UUIDs (as agents register), a few of them, so re-registrations happen.
        const fresh = (kind: number) =>
          `00000000-0000-4000-8${kind}00-${String(i).padStart(12, '0')}`;
        const id = existing ? (t.nodeIDs[i] ?? fresh(1)) : fresh(1);
        const node = baseNode(id, existing ? (t.nodeSecrets[i] ?? fresh(2)) : fresh(2));
        return mutated(wrapped ? { Node: node } : node);
      });
  } else if (key === 'nodeAgent.heartbeat') {
    base = mutated({ Status: 'ready' });
  } else if (key === 'nodeAgent.updateAllocations') {
    base = fc
      .constantFrom(...t.allocIDs)
      .chain((id) =>
        mutated({ Allocs: [{ ID: id, ClientStatus: 'running', ClientDescription: 'fuzz' }] }),
      );
  } else if (key.startsWith('allocations.signal')) {
    base = mutated({ Signal: 'SIGHUP', Task: 'web' });
  } else if (key.startsWith('allocations.restart')) {
    base = mutated({ TaskName: 'web', AllTasks: false });
  } else {
    base = fc.constant({});
  }
  return fc.tuple(base, fc.boolean(), fc.nat()).map(([value, truncate, at]) => {
    const text = stringify(value);
    return Buffer.from(truncate && text.length > 1 ? text.slice(0, at % text.length) : text);
  });
}

function bodyArb(route: FuzzRoute, t: FuzzTargets): fc.Arbitrary<Buffer | undefined> {
  return fc.oneof(
    { weight: route.hasBody ? 1 : 6, arbitrary: fc.constant(undefined) },
    { weight: route.hasBody ? 6 : 1, arbitrary: routeBody(route, t) },
    { weight: 2, arbitrary: brokenBody },
  );
}

/**
 * The path with what node:http refuses to send (controls, spaces, non-Latin-1) percent-encoded;
 * anything else malformed is kept.
 */
function sendable(path: string): string {
  return path.replace(/[^\u0021-\u00ff]/gu, (ch) => encodeURIComponent(ch));
}

// ── Requests ──────────────────────────────────────────────────────────────────────────────────

const PATH_VALUE_JSON = Buffer.from(JSON.stringify(PATH_VALUE));

/** `body` with each PATH_VALUE marker replaced by `value` as a JSON string. */
function withPathValue(body: Buffer, value: string): Buffer {
  let at = body.indexOf(PATH_VALUE_JSON);
  if (at < 0) return body;
  const replacement = Buffer.from(JSON.stringify(value));
  const parts: Buffer[] = [];
  let from = 0;
  for (; at >= 0; at = body.indexOf(PATH_VALUE_JSON, from)) {
    parts.push(body.subarray(from, at), replacement);
    from = at + PATH_VALUE_JSON.length;
  }
  parts.push(body.subarray(from));
  return Buffer.concat(parts);
}

/**
 * An ACL request that is well formed around its payload: the route's own method, no query
 * garbage, JSON, and mostly the management token. Every part of a hostile request can refuse it
 * on its own, so without these few of the fuzzed policies, tokens, names and accessors would
 * reach validation and the write itself.
 */
function plainAclRequest(route: FuzzRoute, t: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  const body = aclBody(route, t);
  return fc
    .record({
      path: plainPath(route, t),
      query:
        route.method === 'GET'
          ? fc.constantFrom('', '', '?prefix=fuzz', '?prefix=0', '?reverse=true', '?per_page=2')
          : fc.constant(''),
      secret: fc.oneof(
        { weight: 4, arbitrary: fc.constant<string | undefined>(t.acl.management) },
        { weight: 1, arbitrary: fc.constantFrom(...t.acl.others) },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
      body: body === undefined ? fc.constant(undefined) : body.map((v) => stringify(v)),
    })
    .map(({ path, query, secret, body: text }): FuzzRequest => {
      const headers = tokenHeaders(secret, 'x-nomad-token');
      if (text === undefined) {
        return {
          route: route.key,
          method: route.method,
          path: sendable(path.path + query),
          headers,
        };
      }
      headers['content-type'] = 'application/json';
      return {
        route: route.key,
        method: route.method,
        path: sendable(path.path + query),
        headers,
        body: withPathValue(Buffer.from(text), path.value),
      };
    });
}

/** One hostile request against one of `routes`. */
export function requestArb(routes: FuzzRoute[], t: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  // One arbitrary per route, built once (building them per request costs more than the request).
  const perRoute = routes.map((route) => {
    const hostile = fc
      .record({
        method: methodText(route),
        path: pathText(route, t),
        query: queryText(route, t),
        headers: headersArb(t),
        body: bodyArb(route, t),
      })
      .map(({ method, path, query, headers, body }): FuzzRequest => ({
        route: route.key,
        method,
        path: sendable(path.path + query),
        headers,
        ...(body === undefined ? {} : { body: withPathValue(body, path.value) }),
      }));
    if (!route.key.startsWith('acl.')) return hostile;
    // Half plain: the shared HTTP layer is fuzzed by every route, the ACL payloads only here.
    return fc.oneof(hostile, plainAclRequest(route, t));
  });
  // The ACL routes are drawn twice as often: each must reach a success (the test checks it),
  // and that takes enough draws however many other routes the contract has.
  return fc.oneof(
    ...perRoute.map((arbitrary, i) => ({
      arbitrary,
      weight: routes[i]?.key.startsWith('acl.') ? 2 : 1,
    })),
  );
}
