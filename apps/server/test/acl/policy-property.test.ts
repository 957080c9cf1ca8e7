// Property: whatever the policy, nothing leaks across namespaces. fast-check builds random
// policies (exact names and globs such as `*`, `w*`, `*b*`, shorthands, capability lists with
// and without `deny`, a `node` block, one or two policies per token, or the `anonymous` policy
// for a caller without a token), random namespaces, and random jobs, allocations and
// evaluations on two nodes (written straight into the state store). Then, through HTTP with
// ACLs on, every list (allocations, jobs, evaluations, namespaces, a node's allocations; with
// each namespace, one that does not exist, and `*`), every read, and blocking queries woken by a
// write must answer exactly what a reference model says: the allowed objects, all of them, and
// nothing else; 403 where the caller may not ask.
//
// The reference model is written here from Nomad's rules (acl/policy.go, acl/acl.go), not from
// @berth/acl: shorthands expand to their capabilities; rules of the same name merge, and `deny`
// in a rule denies everything it covers; an exact rule wins over globs; among matching globs
// the closest wins (the fewest characters left to the `*`s), ties going to the name sorting
// last (Go's stable sort with a `<=` comparison puts later equals first); `namespace=*` passes
// when some rule grants the capability and then shows the namespaces where it holds.
import type { Allocation, Evaluation, Job, Namespace, Node } from '@berth/contract';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { storeAclResolver } from '../../src/acl/store-resolver.js';
import { openStateStore } from '../../src/state/index.js';
import {
  injectFetch,
  seed,
  startTestServer,
  type TestServer,
} from '../../src/test-support/harness.js';
import { mockAlloc, mockEval, mockJob, mockNode } from '../../src/test-support/mock.js';
import { callRoute, type Answer, type RouteArgs } from './acl-server.js';

// ---------------------------------------------------------------------------------------------
// The reference model

const READ = [
  'list-jobs',
  'parse-job',
  'read-job',
  'csi-list-volume',
  'csi-read-volume',
  'read-job-scaling',
  'list-scaling-policies',
  'read-scaling-policy',
  'host-volume-read',
];
const WRITE = [
  ...READ,
  'scale-job',
  'submit-job',
  'dispatch-job',
  'read-logs',
  'read-fs',
  'alloc-exec',
  'alloc-lifecycle',
  'csi-mount-volume',
  'csi-write-volume',
  'submit-recommendation',
  'host-volume-create',
];
const SCALE = [
  'list-scaling-policies',
  'read-scaling-policy',
  'read-job-scaling',
  'scale-job',
  'read-job',
  'submit-recommendation',
];
const SHORTHANDS: Record<string, string[]> = {
  '': [],
  read: READ,
  write: WRITE,
  scale: SCALE,
  deny: ['deny'],
};

interface NsRule {
  name: string;
  policy: '' | 'read' | 'write' | 'scale' | 'deny';
  capabilities: string[];
}
interface PolicySpec {
  rules: NsRule[];
  node: '' | 'read' | 'write' | 'deny';
}

/** `*` matches any run of characters, everything else itself (a straightforward matcher). */
function globMatches(pattern: string, subject: string): boolean {
  // match[i][j]: pattern[i:] matches subject[j:].
  const match: boolean[][] = Array.from({ length: pattern.length + 1 }, () =>
    new Array<boolean>(subject.length + 1).fill(false),
  );
  match[pattern.length]![subject.length] = true;
  for (let i = pattern.length - 1; i >= 0; i--) {
    for (let j = subject.length; j >= 0; j--) {
      match[i]![j] =
        pattern[i] === '*'
          ? match[i + 1]![j]! || (j < subject.length && match[i]![j + 1]!)
          : j < subject.length && pattern[i] === subject[j] && match[i + 1]![j + 1]!;
    }
  }
  return match[0]![0]!;
}

class ReferenceAcl {
  /** Capabilities by rule name, all policies' rules of that name merged. */
  private readonly byName = new Map<string, Set<string>>();
  readonly nodeRead: boolean;

  constructor(policies: PolicySpec[]) {
    for (const policy of policies) {
      for (const rule of policy.rules) {
        const caps = this.byName.get(rule.name) ?? new Set<string>();
        for (const c of [...SHORTHANDS[rule.policy]!, ...rule.capabilities]) caps.add(c);
        this.byName.set(rule.name, caps);
      }
    }
    const nodes = policies.map((p) => p.node);
    this.nodeRead = !nodes.includes('deny') && (nodes.includes('read') || nodes.includes('write'));
  }

  /** The merged capabilities of the rule that governs `ns`, if any rule does. */
  private governing(ns: string): Set<string> | undefined {
    const exact = [...this.byName.keys()].filter((n) => !n.includes('*') && n === ns);
    if (exact.length > 0) return this.byName.get(exact[0]!);
    let best: { name: string; difference: number } | undefined;
    for (const name of this.byName.keys()) {
      if (!name.includes('*') || !globMatches(name, ns)) continue;
      const stars = name.split('*').length - 1;
      const difference = ns.length - name.length + stars;
      if (
        best === undefined ||
        difference < best.difference ||
        (difference === best.difference && name > best.name)
      ) {
        best = { name, difference };
      }
    }
    return best && this.byName.get(best.name);
  }

  private static grants(caps: Set<string> | undefined, capability: string): boolean {
    return caps !== undefined && !caps.has('deny') && caps.has(capability);
  }

  allows(ns: string, capability: string): boolean {
    return ReferenceAcl.grants(this.governing(ns), capability);
  }

  /** Some rule anywhere grants `capability` (the coarse check of `namespace=*`). */
  anyAllows(capability: string): boolean {
    return [...this.byName.values()].some((caps) => ReferenceAcl.grants(caps, capability));
  }

  /** Any capability at all in `ns`, and no deny (namespace reads and the namespace list). */
  allowsNamespace(ns: string): boolean {
    const caps = this.governing(ns);
    return caps !== undefined && caps.size > 0 && !caps.has('deny');
  }
}

// ---------------------------------------------------------------------------------------------
// Generators

const NAME_POOL = ['web', 'web-2', 'webby', 'db', 'dev', 'prod-a', 'prod-b', 'w', 'x-web'];
const CHARS = ['a', 'b', 'd', 'e', 'w', '-', '2'];

const nsName = fc.oneof(
  fc.constantFrom(...NAME_POOL),
  fc.string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: 5 }),
);

/** A rule name: an exact name, `*`, or a name with some part replaced by `*`. */
const ruleName = fc.oneof(
  { weight: 3, arbitrary: nsName },
  { weight: 1, arbitrary: fc.constant('*') },
  {
    weight: 4,
    arbitrary: fc.tuple(nsName, fc.nat(), fc.nat()).map(([name, a, b]) => {
      const from = a % (name.length + 1);
      const to = from + (b % (name.length - from + 1));
      return `${name.slice(0, from)}*${name.slice(to)}`;
    }),
  },
  {
    weight: 1,
    arbitrary: fc.string({ unit: fc.constantFrom(...CHARS, '*'), minLength: 1, maxLength: 5 }),
  },
);

const CAPABILITY_CHOICES = [
  'list-jobs',
  'read-job',
  'submit-job',
  'alloc-lifecycle',
  'deny',
  'parse-job',
  'read-logs',
  'scale-job',
];

const nsRule: fc.Arbitrary<NsRule> = fc.record({
  name: ruleName,
  policy: fc.constantFrom('', 'read', 'write', 'scale', 'deny'),
  capabilities: fc.subarray(CAPABILITY_CHOICES, { maxLength: 3 }),
});

const policySpec: fc.Arbitrary<PolicySpec> = fc.record({
  rules: fc.array(nsRule, { minLength: 1, maxLength: 4 }),
  node: fc.constantFrom('', 'read', 'write', 'deny'),
});

function renderPolicy(spec: PolicySpec): string {
  const blocks = spec.rules.map((rule) => {
    const lines = [`namespace "${rule.name}" {`];
    if (rule.policy !== '') lines.push(`  policy = "${rule.policy}"`);
    if (rule.capabilities.length > 0) {
      lines.push(`  capabilities = [${rule.capabilities.map((c) => `"${c}"`).join(', ')}]`);
    }
    lines.push('}');
    return lines.join('\n');
  });
  if (spec.node !== '') blocks.push(`node {\n  policy = "${spec.node}"\n}`);
  return blocks.join('\n\n');
}

interface WorldSpec {
  /** Namespaces besides `default`. */
  namespaces: string[];
  jobs: { ns: number; id: 'app' | 'api' }[];
  allocs: { job: number; node: 0 | 1 }[];
  evals: { ns: number; job: number }[];
  /** The namespace of the allocation a blocking query's write adds, and its node. */
  lateAlloc: { ns: number; node: 0 | 1 };
}

const worldSpec: fc.Arbitrary<WorldSpec> = fc.record({
  namespaces: fc
    .uniqueArray(nsName, { maxLength: 4 })
    .map((names) => names.filter((n) => n !== 'default')),
  jobs: fc.array(fc.record({ ns: fc.nat(), id: fc.constantFrom('app' as const, 'api' as const) }), {
    maxLength: 5,
  }),
  allocs: fc.array(fc.record({ job: fc.nat(), node: fc.constantFrom(0 as const, 1 as const) }), {
    maxLength: 5,
  }),
  evals: fc.array(fc.record({ ns: fc.nat(), job: fc.nat() }), { maxLength: 3 }),
  lateAlloc: fc.record({ ns: fc.nat(), node: fc.constantFrom(0 as const, 1 as const) }),
});

/** Who calls: a token holding one or two policies, or no token with the `anonymous` policy. */
const callerSpec = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(policySpec, { minLength: 1, maxLength: 2 })
      .map((p) => ({ anonymous: false, policies: p })),
  },
  { weight: 1, arbitrary: policySpec.map((p) => ({ anonymous: true, policies: [p] })) },
);

// ---------------------------------------------------------------------------------------------
// One case

interface Built {
  server: TestServer;
  token: string;
  namespaces: string[];
  jobs: Job[];
  allocs: Allocation[];
  evals: Evaluation[];
  nodes: Node[];
}

async function build(world: WorldSpec, caller: { anonymous: boolean; policies: PolicySpec[] }) {
  const store = openStateStore({ inMemory: true, freeze: true });
  const server = await startTestServer({ store, acl: storeAclResolver(store), aclEnabled: true });
  const send = injectFetch(server.app);
  const call = (key: string, args: RouteArgs, token: string) =>
    callRoute('http://berth.test', key, args, token, send);
  const must = async (key: string, args: RouteArgs, token: string) => {
    const answer = await call(key, args, token);
    if (answer.status !== 200) {
      throw new Error(`setup: ${key} answered ${answer.status} ${String(answer.body)}`);
    }
    return answer.body as Record<string, unknown>;
  };
  const mgmt = String((await must('acl.bootstrap', { body: {} }, '')).SecretID);

  const namespaces = ['default', ...world.namespaces];
  await store.write((tx) => {
    for (const name of world.namespaces) {
      const ns: Namespace = {
        Name: name,
        Description: '',
        Quota: '',
        Meta: null,
        CreateIndex: tx.index,
        ModifyIndex: tx.index,
      };
      tx.upsertNamespace(ns);
    }
  });
  const nodes = [mockNode(), mockNode()];
  const jobs: Job[] = [];
  for (const spec of world.jobs) {
    const ns = namespaces[spec.ns % namespaces.length]!;
    if (jobs.some((j) => j.Namespace === ns && j.ID === spec.id)) continue;
    jobs.push(mockJob({ ID: spec.id, Name: spec.id, Namespace: ns }));
  }
  const allocs =
    jobs.length === 0
      ? []
      : world.allocs.map((spec) => {
          const job = jobs[spec.job % jobs.length]!;
          return mockAlloc({ Job: job, Namespace: job.Namespace, NodeID: nodes[spec.node]!.ID });
        });
  const evals = world.evals.map((spec) => {
    const ns = namespaces[spec.ns % namespaces.length]!;
    const inNs = jobs.filter((j) => j.Namespace === ns);
    const jobID = inNs.length === 0 ? 'gone' : inNs[spec.job % inNs.length]!.ID;
    return mockEval({ Namespace: ns, JobID: jobID, Status: 'complete' });
  });
  await seed(store, { jobs, nodes, allocs, evals });

  const names = caller.anonymous ? ['anonymous'] : caller.policies.map((_, i) => `policy-${i}`);
  for (const [i, name] of names.entries()) {
    const rules = renderPolicy(caller.policies[i]!);
    await must('acl.policyUpsert', { params: { name }, body: { Name: name, Rules: rules } }, mgmt);
  }
  const token = caller.anonymous
    ? ''
    : String(
        (await must('acl.tokenCreate', { body: { Type: 'client', Policies: names } }, mgmt))
          .SecretID,
      );
  const built: Built = { server, token, namespaces, jobs, allocs, evals, nodes };
  return { built, call };
}

/** The answer as the comparison sees it: a status, and for a 200 the sorted keys of what came. */
function shape(answer: Answer, key: (o: Record<string, unknown>) => string) {
  if (answer.status !== 200) return { status: answer.status, body: answer.body };
  const body = answer.body;
  const items = Array.isArray(body)
    ? (body as Record<string, unknown>[])
    : [body as Record<string, unknown>];
  return { status: 200, items: items.map(key).sort() };
}
const denied = { status: 403, body: 'Permission denied' };
const ok = (items: string[]) => ({ status: 200, items: [...items].sort() });

const idOf = (o: Record<string, unknown>) => String(o.ID);
const jobKey = (o: Record<string, unknown>) => `${String(o.Namespace)}/${String(o.ID)}`;
const nameOf = (o: Record<string, unknown>) => String(o.Name);

async function checkCase(
  world: WorldSpec,
  caller: { anonymous: boolean; policies: PolicySpec[] },
): Promise<void> {
  const { built, call } = await build(world, caller);
  const { server, token, namespaces, jobs, allocs, evals, nodes } = built;
  try {
    const ref = new ReferenceAcl(caller.policies);
    const asked = [...namespaces, 'not-there', '*'];

    /** The expected answer of a namespaced list of `objects` needing `capability`. */
    const expectedList = <T extends { Namespace: string }>(
      ns: string,
      capability: string,
      objects: T[],
      keyOf: (o: T) => string,
    ) => {
      if (ns === '*') {
        if (!ref.anyAllows(capability)) return denied;
        return ok(objects.filter((o) => ref.allows(o.Namespace, capability)).map(keyOf));
      }
      if (!ref.allows(ns, capability)) return denied;
      return ok(objects.filter((o) => o.Namespace === ns).map(keyOf));
    };

    const observed: unknown[] = [];
    const expected: unknown[] = [];
    const compare = async (
      what: string,
      key: string,
      args: RouteArgs,
      keyOf: (o: Record<string, unknown>) => string,
      want: unknown,
    ) => {
      observed.push({ what, ...shape(await call(key, args, token), keyOf) });
      expected.push({ what, ...(want as object) });
    };

    for (const ns of asked) {
      const query = { namespace: ns };
      await compare(
        `allocations ns=${ns}`,
        'allocations.list',
        { query },
        idOf,
        expectedList(ns, 'read-job', allocs, (a) => a.ID),
      );
      await compare(
        `jobs ns=${ns}`,
        'jobs.list',
        { query },
        jobKey,
        expectedList(ns, 'list-jobs', jobs, (j) => `${j.Namespace}/${j.ID}`),
      );
      await compare(
        `evaluations ns=${ns}`,
        'evaluations.list',
        { query },
        idOf,
        expectedList(ns, 'read-job', evals, (e) => e.ID),
      );
    }
    await compare(
      'namespaces',
      'namespaces.list',
      {},
      nameOf,
      ok(namespaces.filter((ns) => ref.allowsNamespace(ns))),
    );
    for (const node of nodes) {
      await compare(
        `node ${node.ID} allocations`,
        'nodes.allocations',
        { params: { nodeID: node.ID } },
        idOf,
        ref.nodeRead
          ? ok(
              allocs
                .filter((a) => a.NodeID === node.ID && ref.allows(a.Namespace, 'read-job'))
                .map((a) => a.ID),
            )
          : denied,
      );
    }
    for (const alloc of allocs) {
      await compare(
        `allocation ${alloc.ID} in ${alloc.Namespace}`,
        'allocations.info',
        { params: { allocID: alloc.ID } },
        idOf,
        ref.allows(alloc.Namespace, 'read-job') ? ok([alloc.ID]) : denied,
      );
    }
    for (const ev of evals) {
      await compare(
        `evaluation ${ev.ID} in ${ev.Namespace}`,
        'evaluations.info',
        { params: { evalID: ev.ID } },
        idOf,
        ref.allows(ev.Namespace, 'read-job') ? ok([ev.ID]) : denied,
      );
    }
    for (const job of jobs) {
      await compare(
        `job ${job.Namespace}/${job.ID}`,
        'jobs.info',
        { params: { jobID: job.ID }, query: { namespace: job.Namespace } },
        jobKey,
        ref.allows(job.Namespace, 'read-job') ? ok([`${job.Namespace}/${job.ID}`]) : denied,
      );
    }
    for (const ns of namespaces) {
      await compare(
        `namespace ${ns}`,
        'namespaces.info',
        { params: { name: ns } },
        nameOf,
        ref.allowsNamespace(ns) ? ok([ns]) : denied,
      );
      await compare(
        `missing job in ${ns}`,
        'jobs.info',
        { params: { jobID: 'missing' }, query: { namespace: ns } },
        jobKey,
        ref.allows(ns, 'read-job') ? { status: 404, body: 'job not found' } : denied,
      );
    }

    // Blocking queries, woken by a write: a new allocation in one of the namespaces (its job is
    // one of that namespace's, or a new one), and an update of an existing allocation.
    const { store } = server;
    const lateNs = namespaces[world.lateAlloc.ns % namespaces.length]!;
    const lateJob =
      jobs.find((j) => j.Namespace === lateNs) ??
      mockJob({ ID: 'late', Name: 'late', Namespace: lateNs });
    const late = mockAlloc({
      Job: lateJob,
      Namespace: lateNs,
      NodeID: nodes[world.lateAlloc.node]!.ID,
    });
    const after = [...allocs, late];
    // Past every index so far (an index of 0 would not block): only the coming write answers.
    const index = String(store.latestIndex());
    const blocking = { index, wait: '5s' };
    const watched = allocs[0];
    const pending = [
      call('allocations.list', { query: { namespace: '*', ...blocking } }, token),
      call('allocations.list', { query: { namespace: lateNs, ...blocking } }, token),
      call('nodes.allocations', { params: { nodeID: late.NodeID }, query: blocking }, token),
      ...(watched === undefined
        ? []
        : [
            call(
              'allocations.info',
              {
                params: { allocID: watched.ID },
                query: { index: String(watched.ModifyIndex), wait: '5s' },
              },
              token,
            ),
          ]),
    ];
    // Let the queries reach their wait (a write before that is seen by their first run alike).
    await new Promise((resolve) => setTimeout(resolve, 20));
    await seed(store, { jobs: jobs.includes(lateJob) ? [] : [lateJob], allocs: [late] });
    if (watched !== undefined) {
      await store.write((tx) =>
        tx.upsertAlloc({ ...store.allocByID(watched.ID)!, ModifyIndex: tx.index }),
      );
    }
    const [star, inNs, onNode, read] = await Promise.all(pending);
    observed.push({ what: 'blocking allocations ns=*', ...shape(star!, idOf) });
    expected.push({
      what: 'blocking allocations ns=*',
      ...expectedList('*', 'read-job', after, (a) => a.ID),
    });
    observed.push({ what: `blocking allocations ns=${lateNs}`, ...shape(inNs!, idOf) });
    expected.push({
      what: `blocking allocations ns=${lateNs}`,
      ...expectedList(lateNs, 'read-job', after, (a) => a.ID),
    });
    observed.push({ what: 'blocking node allocations', ...shape(onNode!, idOf) });
    expected.push({
      what: 'blocking node allocations',
      ...(ref.nodeRead
        ? ok(
            after
              .filter((a) => a.NodeID === late.NodeID && ref.allows(a.Namespace, 'read-job'))
              .map((a) => a.ID),
          )
        : denied),
    });
    if (watched !== undefined) {
      observed.push({ what: 'blocking allocation read', ...shape(read!, idOf) });
      expected.push({
        what: 'blocking allocation read',
        ...(ref.allows(watched.Namespace, 'read-job') ? ok([watched.ID]) : denied),
      });
    }

    expect(observed).toEqual(expected);
  } finally {
    await server.close();
  }
}

describe('random policies never let an object out of the namespaces they allow', () => {
  test('lists, reads and blocking queries answer exactly what the reference model allows', async () => {
    await fc.assert(
      fc.asyncProperty(worldSpec, callerSpec, async (world, caller) => {
        await checkCase(world, caller);
      }),
      { numRuns: Number(process.env.ACL_PROPERTY_RUNS ?? 80) },
    );
  }, 120_000);

  test('the reference glob matcher and closest-glob rule agree with worked examples', () => {
    expect(globMatches('*', '')).toBe(true);
    expect(globMatches('w*', 'web')).toBe(true);
    expect(globMatches('w*', 'dw')).toBe(false);
    expect(globMatches('*b*', 'webby')).toBe(true);
    expect(globMatches('a*a', 'a')).toBe(false);
    expect(globMatches('web', 'web-2')).toBe(false);
    const ref = new ReferenceAcl([
      {
        rules: [
          { name: '*', policy: 'write', capabilities: [] },
          { name: 'w*', policy: 'read', capabilities: [] },
          { name: 'web*', policy: 'deny', capabilities: [] },
          { name: 'webby', policy: '', capabilities: ['list-jobs'] },
        ],
        node: '',
      },
    ]);
    // Closest glob: `web*` (difference 2) beats `w*` (4) and `*` (5) for web-2.
    expect(ref.allows('web-2', 'read-job')).toBe(false);
    expect(ref.allows('wx', 'read-job')).toBe(true);
    expect(ref.allows('wx', 'submit-job')).toBe(false);
    expect(ref.allows('db', 'submit-job')).toBe(true);
    // Exact wins over every glob, even a narrower one.
    expect(ref.allows('webby', 'read-job')).toBe(false);
    expect(ref.allows('webby', 'list-jobs')).toBe(true);
    // Ties go to the name sorting last: `*b` and `d*` are both 1 from `db`.
    const tie = new ReferenceAcl([
      {
        rules: [
          { name: '*b', policy: 'read', capabilities: [] },
          { name: 'd*', policy: 'deny', capabilities: [] },
        ],
        node: '',
      },
    ]);
    expect(tie.allows('db', 'read-job')).toBe(false);
    expect(tie.anyAllows('read-job')).toBe(true);
  });
});
