// The ACL acceptance matrix: every route of the contract, called by every kind of caller, against
// one real server with ACLs on (a loopback port, SQLite in a temp directory, the scheduler
// placing real allocations on registered nodes). Each cell asserts what a client sees: the
// status, the exact text of an error (`text/plain`), and for a list exactly which objects come
// back. The order of checks is the spec's (section 1.10 and its first table): authenticate (a
// bad token is 403 before anything is looked up) → look up (404) → authorise (403).
//
// The world: namespaces `default`, `web` and `db`, each holding a job `app` (the same ID in all
// three, so a namespace mix-up shows) with one allocation and one evaluation; node A runs the
// web and db allocations, node B the default one. Reads run first against that fixed world;
// writes come after, each cell on objects of its own (created by the operator just before it),
// and a refused write must leave every index of the state unchanged.
//
// Signal and restart are forwarded to the node agent at the node's HTTPAddr. Here that address
// is a loopback listener that records each forwarded call and answers `{}`: an authorised call
// answers 200 and reaches the agent (once, with the node's SecretID); a refused one answers 403
// and the agent hears nothing. That separates "refused before forwarding" from "forwarded".
import type { AclToken, JobRegisterResponse, NodeRegistration } from '@berth/contract';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mockNode } from '../../src/test-support/mock.js';
import { waitForState } from '../../src/test-support/wait-for-state.js';
import {
  contractRouteKeys,
  startAclServer,
  startRecordingAgent,
  type AclServer,
  type RecordingAgent,
  type RouteArgs,
} from './acl-server.js';

// ---------------------------------------------------------------------------------------------
// Callers

const CALLERS = [
  'none',
  'unknown',
  'expired',
  'otherNamespace',
  'readWeb',
  'listJobsWeb',
  'lifecycleWeb',
  'denyWeb',
  'ghost',
  'nodeReadWeb',
  'nodeWrite',
  'management',
  'nodeA',
  'nodeB',
] as const;
type Caller = (typeof CALLERS)[number];

/** What each caller is, for the test names. */
const CALLER_DESCRIPTIONS: Record<Caller, string> = {
  none: 'no token (anonymous, no anonymous policy)',
  unknown: 'an unknown token (a random UUID)',
  expired: 'an expired token (its policy grants everything)',
  otherNamespace: 'a token for another namespace (write in db)',
  readWeb: 'read-only in web',
  listJobsWeb: 'list-jobs only in web',
  lifecycleWeb: 'alloc-lifecycle only in web',
  denyWeb: 'write everywhere but deny in web',
  ghost: 'write in a namespace that does not exist',
  nodeReadWeb: 'node:read and read in web',
  nodeWrite: 'node:write only',
  management: 'management',
  nodeA: "node A's secret",
  nodeB: "node B's secret",
};

/** The policy of each client-token caller (the expired token's is stored with it). */
const POLICIES: Partial<Record<Caller, { name: string; rules: string }>> = {
  otherNamespace: { name: 'write-db', rules: 'namespace "db" { policy = "write" }' },
  readWeb: { name: 'read-web', rules: 'namespace "web" { policy = "read" }' },
  listJobsWeb: {
    name: 'list-jobs-web',
    rules: 'namespace "web" { capabilities = ["list-jobs"] }',
  },
  lifecycleWeb: {
    name: 'lifecycle-web',
    rules: 'namespace "web" { capabilities = ["alloc-lifecycle"] }',
  },
  denyWeb: {
    name: 'deny-web',
    rules: 'namespace "*" { policy = "write" }\nnamespace "web" { policy = "deny" }',
  },
  ghost: { name: 'ghost', rules: 'namespace "ghost" { policy = "write" }' },
  nodeReadWeb: {
    name: 'node-read-web',
    rules: 'namespace "web" { policy = "read" }\nnode { policy = "read" }',
  },
  nodeWrite: { name: 'node-write', rules: 'node { policy = "write" }' },
  expired: {
    name: 'everything',
    rules: 'namespace "*" { policy = "write" }\nnode { policy = "write" }',
  },
};

// ---------------------------------------------------------------------------------------------
// The world

const NAMESPACES = ['web', 'db', 'default'] as const;
type Ns = (typeof NAMESPACES)[number];

interface World {
  acl: AclServer;
  agent: RecordingAgent;
  /** The secret each caller presents ('' for none). */
  secret: Record<Caller, string>;
  /** The management token's secret. */
  mgmt: string;
  /** The accessor of each caller holding a token. */
  accessor: Partial<Record<Caller, string>>;
  bootstrapIndex: number;
  nodes: { A: NodeRegistration; B: NodeRegistration };
  allocs: Record<Ns, string>;
  evals: Record<Ns, string>;
  /** Object ID → the name the expectations use (allocations, evaluations, nodes, tokens). */
  labels: Map<string, string>;
  /** A fresh name for an object a write cell works on. */
  fresh(prefix: string): string;
}

function nodeRegistration(datacenter: string, httpAddr: string, name: string): NodeRegistration {
  return {
    ...mockNode({ Datacenter: datacenter, HTTPAddr: httpAddr, Name: name }),
    Status: 'initializing',
    SecretID: randomUUID(),
  };
}

/** A small service job; `count` 0 places nothing (a job to deregister, say). */
function jobSpec(id: string, namespace: string, datacenter: string, count = 1) {
  return {
    ID: id,
    Name: id,
    Namespace: namespace,
    Datacenters: [datacenter],
    TaskGroups: [
      {
        Name: 'web',
        Count: count,
        Tasks: [
          {
            Name: 'web',
            Driver: 'raw_exec',
            Config: { command: '/bin/sleep', args: ['600'] },
            Resources: { CPU: 20, MemoryMB: 10 },
          },
        ],
      },
    ],
  };
}

const DATACENTER: Record<Ns, string> = { web: 'dc1', db: 'dc1', default: 'dc2' };

async function buildWorld(): Promise<World> {
  const acl = await startAclServer();
  const agent = await startRecordingAgent();
  const { store } = acl.server;
  const boot = (await acl.must('acl.bootstrap', { body: {} }, '')) as AclToken;
  const mgmt = boot.SecretID;

  for (const name of ['web', 'db']) {
    await acl.must('namespaces.register', { params: { name }, body: { Name: name } }, mgmt);
  }

  // Nodes first, ready before any job exists: no node evaluation is ever created.
  const nodes = {
    A: nodeRegistration('dc1', agent.httpAddr, 'node-a'),
    B: nodeRegistration('dc2', agent.httpAddr, 'node-b'),
  };
  for (const node of Object.values(nodes)) {
    await acl.must('nodeAgent.register', { body: node }, mgmt);
    await acl.must(
      'nodeAgent.heartbeat',
      { params: { nodeID: node.ID }, body: { Status: 'ready' } },
      node.SecretID,
    );
  }

  const evals = {} as Record<Ns, string>;
  for (const ns of NAMESPACES) {
    const registered = (await acl.must(
      'jobs.register',
      { query: { namespace: ns }, body: { Job: jobSpec('app', ns, DATACENTER[ns]) } },
      mgmt,
    )) as JobRegisterResponse;
    evals[ns] = registered.EvalID;
  }
  await waitForState(store, () =>
    NAMESPACES.every(
      (ns) =>
        store.evalByID(evals[ns])?.Status === 'complete' &&
        store.allocsByJob(ns, 'app').length === 1,
    ),
  );
  await acl.settle();
  const allocs = {} as Record<Ns, string>;
  for (const ns of NAMESPACES) allocs[ns] = store.allocsByJob(ns, 'app')[0]!.ID;

  const secret = { none: '', unknown: randomUUID(), management: mgmt } as Record<Caller, string>;
  secret.nodeA = nodes.A.SecretID;
  secret.nodeB = nodes.B.SecretID;
  const accessor: Partial<Record<Caller, string>> = { management: boot.AccessorID };
  for (const [caller, policy] of Object.entries(POLICIES) as [
    Caller,
    { name: string; rules: string },
  ][]) {
    await acl.must(
      'acl.policyUpsert',
      { params: { name: policy.name }, body: { Name: policy.name, Rules: policy.rules } },
      mgmt,
    );
    if (caller === 'expired') continue;
    const token = (await acl.must(
      'acl.tokenCreate',
      { body: { Name: caller, Type: 'client', Policies: [policy.name] } },
      mgmt,
    )) as AclToken;
    secret[caller] = token.SecretID;
    accessor[caller] = token.AccessorID;
  }
  // The API refuses an expiry in the past (and under a minute ahead), so the expired token is
  // stored directly, as a token created earlier would be once its time has passed.
  const expired = await storeExpiredToken(acl, POLICIES.expired!.name);
  secret.expired = expired.SecretID;
  accessor.expired = expired.AccessorID;

  const labels = new Map<string, string>();
  for (const ns of NAMESPACES) {
    labels.set(allocs[ns], ns);
    labels.set(evals[ns], ns);
  }
  labels.set(nodes.A.ID, 'A');
  labels.set(nodes.B.ID, 'B');
  for (const [caller, id] of Object.entries(accessor)) labels.set(id, caller);

  let counter = 0;
  return {
    acl,
    agent,
    secret,
    mgmt,
    accessor,
    bootstrapIndex: boot.CreateIndex,
    nodes,
    allocs,
    evals,
    labels,
    fresh: (prefix) => `${prefix}-${++counter}`,
  };
}

async function storeExpiredToken(acl: AclServer, policy: string): Promise<AclToken> {
  const token: AclToken = {
    AccessorID: randomUUID(),
    SecretID: randomUUID(),
    Name: 'expired',
    Type: 'client',
    Policies: [policy],
    Roles: null,
    Global: false,
    Hash: null,
    CreateTime: new Date(Date.now() - 7_200_000).toISOString(),
    ExpirationTime: new Date(Date.now() - 3_600_000).toISOString(),
    ExpirationTTL: '',
    CreateIndex: 0,
    ModifyIndex: 0,
  };
  let stored: AclToken | undefined;
  await acl.server.store.write((tx) => {
    stored = { ...token, CreateIndex: tx.index, ModifyIndex: tx.index };
    tx.upsertAclToken(stored);
  });
  return stored!;
}

// ---------------------------------------------------------------------------------------------
// Expectations

type Expect =
  /** A list: exactly these objects (by label, any order). */
  | { status: 200; labels: string[] }
  /** One object: this one. */
  | { status: 200; label: string }
  /** A write that succeeds. */
  | { status: 200 }
  | { status: 400 | 403 | 404 | 409; text: string };

const DENIED: Expect = { status: 403, text: 'Permission denied' };
const OK: Expect = { status: 200 };

/** The path segment of each file route. */
const FS_PATHS: Record<string, string> = {
  'clientFS.logs': 'logs',
  'clientFS.list': 'ls',
  'clientFS.stat': 'stat',
  'clientFS.cat': 'cat',
  'clientFS.readAt': 'readat',
  'clientFS.stream': 'stream',
};
const list = (...labels: string[]): Expect => ({ status: 200, labels });
const one = (label: string): Expect => ({ status: 200, label });
const notFound = (text: string): Expect => ({ status: 404, text });

/** `rest` for every caller not named in `cells`. */
function cellsOr(rest: Expect, cells: Partial<Record<Caller, Expect>>): Record<Caller, Expect> {
  return Object.fromEntries(CALLERS.map((c) => [c, cells[c] ?? rest])) as Record<Caller, Expect>;
}
/** Every caller not named is refused with 403 `Permission denied`. */
const only = (cells: Partial<Record<Caller, Expect>>) => cellsOr(DENIED, cells);
/** A missing object: authenticated callers get `text` (404); bad tokens 403 before the look-up. */
const missing = (text: string, cells: Partial<Record<Caller, Expect>> = {}) =>
  cellsOr(notFound(text), { unknown: DENIED, expired: DENIED, ...cells });

/** How an answer is read into labels; an object the world does not know shows as `?ns/id`. */
type Reader = (body: unknown, w: World) => string[];
type Obj = Record<string, unknown>;
/** A field's text (JSON for anything but a string, so nothing reads as `[object Object]`). */
const str = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
const asList = (body: unknown): Obj[] => (Array.isArray(body) ? (body as Obj[]) : [body as Obj]);
const byId =
  (field: string): Reader =>
  (body, w) =>
    asList(body).map(
      (o) => w.labels.get(str(o[field])) ?? `?${str(o.Namespace ?? '')}/${str(o[field])}`,
    );
/** The `app` job of a namespace is labelled with the namespace. */
const jobsByNamespace: Reader = (body) =>
  asList(body).map((j) =>
    j.ID === 'app' ? str(j.Namespace) : `?${str(j.Namespace)}/${str(j.ID)}`,
  );
const byName: Reader = (body) => asList(body).map((o) => str(o.Name));
/** A job summary of the `app` job is labelled with its namespace. */
const summaryByNamespace: Reader = (body) =>
  asList(body).map((j) =>
    j.JobID === 'app' ? str(j.Namespace) : `?${str(j.Namespace)}/${str(j.JobID)}`,
  );
/** Deployments (a list, or one or `null`): berth makes none, so any shown is unexpected. */
const deploymentsRead: Reader = (body) =>
  body === null ? [] : asList(body).map((d) => `?${str(d.Namespace)}/${str(d.ID)}`);

/** What a write does when it succeeds, and checks when it is refused. */
type Effect =
  /** A state write: the index grows on success; a refusal changes no index. */
  | 'write'
  /** May or may not write on success (a heartbeat that changes nothing); a refusal changes none. */
  | 'maybe-write'
  /** Forwarded to node A's agent on success; a refusal reaches no agent and changes no index. */
  | 'forward';

interface Row {
  /** The contract's route key. */
  key: string;
  /** What this row calls, for the test name. */
  what: string;
  /** The call; a write row may create its own target first (with the management token). */
  args(w: World, caller: Caller): RouteArgs | Promise<RouteArgs>;
  read?: Reader;
  effect?: Effect;
  /** Sends the caller's token as the signal body's `AuthToken` instead of a header. */
  tokenInBody?: boolean;
  /** The call node A's agent hears when a `forward` row succeeds (default: signal or restart). */
  forwarded?(w: World, args: RouteArgs): { method: string; path: string };
  /** More to check after a write that succeeded. */
  verify?(w: World, args: RouteArgs): void;
  expect(w: World): Record<Caller, Expect>;
}

const ALL_ALLOCS = ['web', 'db', 'default'];

// ---------------------------------------------------------------------------------------------
// Reads against the fixed world

const allocReader = byId('ID');
const readRows: Row[] = [
  // allocations
  {
    key: 'allocations.list',
    what: 'no namespace (default)',
    args: () => ({}),
    read: allocReader,
    expect: () => only({ denyWeb: list('default'), management: list('default') }),
  },
  {
    key: 'allocations.list',
    what: 'namespace=web',
    args: () => ({ query: { namespace: 'web' } }),
    read: allocReader,
    expect: () => only({ readWeb: list('web'), nodeReadWeb: list('web'), management: list('web') }),
  },
  {
    key: 'allocations.list',
    what: 'namespace=db',
    args: () => ({ query: { namespace: 'db' } }),
    read: allocReader,
    expect: () => only({ otherNamespace: list('db'), denyWeb: list('db'), management: list('db') }),
  },
  {
    key: 'allocations.list',
    what: 'namespace=*',
    args: () => ({ query: { namespace: '*' } }),
    read: allocReader,
    expect: () =>
      only({
        readWeb: list('web'),
        nodeReadWeb: list('web'),
        otherNamespace: list('db'),
        denyWeb: list('db', 'default'),
        ghost: list(),
        management: list(...ALL_ALLOCS),
      }),
  },
  {
    key: 'allocations.info',
    what: 'the web allocation',
    args: (w) => ({ params: { allocID: w.allocs.web } }),
    read: allocReader,
    expect: () =>
      only({
        readWeb: one('web'),
        nodeReadWeb: one('web'),
        management: one('web'),
        nodeA: one('web'),
      }),
  },
  {
    key: 'allocations.info',
    what: 'the db allocation (namespace=web asked: ignored)',
    args: (w) => ({ params: { allocID: w.allocs.db }, query: { namespace: 'web' } }),
    read: allocReader,
    expect: () =>
      only({
        otherNamespace: one('db'),
        denyWeb: one('db'),
        management: one('db'),
        nodeA: one('db'),
      }),
  },
  {
    key: 'allocations.info',
    what: 'the default allocation (on node B)',
    args: (w) => ({ params: { allocID: w.allocs.default } }),
    read: allocReader,
    expect: () =>
      only({ denyWeb: one('default'), management: one('default'), nodeB: one('default') }),
  },
  {
    key: 'allocations.info',
    what: 'a missing allocation',
    args: () => ({ params: { allocID: randomUUID() } }),
    expect: () => missing('alloc not found'),
  },

  // jobs
  {
    key: 'jobs.list',
    what: 'no namespace (default)',
    args: () => ({}),
    read: jobsByNamespace,
    expect: () => only({ denyWeb: list('default'), management: list('default') }),
  },
  {
    key: 'jobs.list',
    what: 'namespace=web',
    args: () => ({ query: { namespace: 'web' } }),
    read: jobsByNamespace,
    expect: () =>
      only({
        readWeb: list('web'),
        listJobsWeb: list('web'),
        nodeReadWeb: list('web'),
        management: list('web'),
      }),
  },
  {
    key: 'jobs.list',
    what: 'namespace=*',
    args: () => ({ query: { namespace: '*' } }),
    read: jobsByNamespace,
    expect: () =>
      only({
        readWeb: list('web'),
        listJobsWeb: list('web'),
        nodeReadWeb: list('web'),
        otherNamespace: list('db'),
        denyWeb: list('db', 'default'),
        ghost: list(),
        management: list(...ALL_ALLOCS),
      }),
  },
  {
    key: 'jobs.list',
    what: 'namespace=ghost (allowed, does not exist)',
    args: () => ({ query: { namespace: 'ghost' } }),
    read: jobsByNamespace,
    expect: () => only({ ghost: list(), denyWeb: list(), management: list() }),
  },
  {
    key: 'jobs.info',
    what: 'app in web',
    args: () => ({ params: { jobID: 'app' }, query: { namespace: 'web' } }),
    read: jobsByNamespace,
    expect: () => only({ readWeb: one('web'), nodeReadWeb: one('web'), management: one('web') }),
  },
  {
    key: 'jobs.info',
    what: 'app in db',
    args: () => ({ params: { jobID: 'app' }, query: { namespace: 'db' } }),
    read: jobsByNamespace,
    expect: () => only({ otherNamespace: one('db'), denyWeb: one('db'), management: one('db') }),
  },
  {
    key: 'jobs.info',
    what: 'a missing job in web (authorised in the namespace before the look-up)',
    args: () => ({ params: { jobID: 'nope' }, query: { namespace: 'web' } }),
    expect: () =>
      only({
        readWeb: notFound('job not found'),
        nodeReadWeb: notFound('job not found'),
        management: notFound('job not found'),
      }),
  },
  {
    key: 'jobs.allocations',
    what: 'app in web',
    args: () => ({ params: { jobID: 'app' }, query: { namespace: 'web' } }),
    read: allocReader,
    expect: () => only({ readWeb: list('web'), nodeReadWeb: list('web'), management: list('web') }),
  },
  {
    key: 'jobs.allocations',
    what: 'app in db',
    args: () => ({ params: { jobID: 'app' }, query: { namespace: 'db' } }),
    read: allocReader,
    expect: () => only({ otherNamespace: list('db'), denyWeb: list('db'), management: list('db') }),
  },
  {
    key: 'jobs.evaluations',
    what: 'app in web',
    args: () => ({ params: { jobID: 'app' }, query: { namespace: 'web' } }),
    read: byId('ID'),
    expect: () => only({ readWeb: list('web'), nodeReadWeb: list('web'), management: list('web') }),
  },
  {
    key: 'jobs.evaluations',
    what: 'app in default',
    args: () => ({ params: { jobID: 'app' } }),
    read: byId('ID'),
    expect: () => only({ denyWeb: list('default'), management: list('default') }),
  },
  // A scale status of the `app` job is labelled with its namespace.
  ...(['web', 'db'] as const).map((ns): Row => ({
    key: 'jobs.scaleStatus',
    what: `app in ${ns}`,
    args: () => ({ params: { jobID: 'app' }, query: { namespace: ns } }),
    read: (body) =>
      asList(body).map((s) => (s.JobID === 'app' ? str(s.Namespace) : `?${str(s.JobID)}`)),
    expect: () =>
      ns === 'web'
        ? only({ readWeb: one('web'), nodeReadWeb: one('web'), management: one('web') })
        : only({ otherNamespace: one('db'), denyWeb: one('db'), management: one('db') }),
  })),
  {
    key: 'jobs.scaleStatus',
    what: 'a missing job in web (authorised in the namespace before the look-up)',
    args: () => ({ params: { jobID: 'nope' }, query: { namespace: 'web' } }),
    expect: () =>
      only({
        readWeb: notFound('job not found'),
        nodeReadWeb: notFound('job not found'),
        management: notFound('job not found'),
      }),
  },

  // The versions of the `app` job: its newest version is labelled with its namespace.
  ...(['web', 'db'] as const).map((ns): Row => ({
    key: 'jobs.versions',
    what: `app in ${ns}, with diffs`,
    args: () => ({ params: { jobID: 'app' }, query: { namespace: ns, diffs: 'true' } }),
    read: (body, w) => jobsByNamespace(((body as Obj).Versions as unknown[]).slice(0, 1), w),
    expect: () =>
      ns === 'web'
        ? only({ readWeb: one('web'), nodeReadWeb: one('web'), management: one('web') })
        : only({ otherNamespace: one('db'), denyWeb: one('db'), management: one('db') }),
  })),
  {
    key: 'jobs.versions',
    what: 'a missing job in web (authorised in the namespace before the look-up)',
    args: () => ({ params: { jobID: 'nope' }, query: { namespace: 'web' } }),
    expect: () =>
      only({
        readWeb: notFound('job versions not found'),
        nodeReadWeb: notFound('job versions not found'),
        management: notFound('job versions not found'),
      }),
  },

  {
    key: 'jobs.summary',
    what: 'app in web',
    args: () => ({ params: { jobID: 'app' }, query: { namespace: 'web' } }),
    read: summaryByNamespace,
    expect: () => only({ readWeb: one('web'), nodeReadWeb: one('web'), management: one('web') }),
  },
  {
    key: 'jobs.summary',
    what: 'a missing job in db (authorised in the namespace before the look-up)',
    args: () => ({ params: { jobID: 'nope' }, query: { namespace: 'db' } }),
    expect: () =>
      only({
        otherNamespace: notFound('job not found'),
        denyWeb: notFound('job not found'),
        management: notFound('job not found'),
      }),
  },
  {
    key: 'jobs.latestDeployment',
    what: 'app in web (none: null)',
    args: () => ({ params: { jobID: 'app' }, query: { namespace: 'web' } }),
    read: deploymentsRead,
    expect: () => only({ readWeb: list(), nodeReadWeb: list(), management: list() }),
  },
  {
    key: 'jobs.deployments',
    what: 'app in db (none)',
    args: () => ({ params: { jobID: 'app' }, query: { namespace: 'db' } }),
    read: deploymentsRead,
    expect: () => only({ otherNamespace: list(), denyWeb: list(), management: list() }),
  },

  // deployments (berth makes none: empty lists and 404s, authorised as Nomad's)
  {
    key: 'deployments.list',
    what: 'namespace=web',
    args: () => ({ query: { namespace: 'web' } }),
    read: deploymentsRead,
    expect: () => only({ readWeb: list(), nodeReadWeb: list(), management: list() }),
  },
  {
    key: 'deployments.list',
    what: 'namespace=*',
    args: () => ({ query: { namespace: '*' } }),
    read: deploymentsRead,
    expect: () =>
      only({
        readWeb: list(),
        nodeReadWeb: list(),
        otherNamespace: list(),
        denyWeb: list(),
        ghost: list(),
        management: list(),
      }),
  },
  {
    key: 'deployments.info',
    what: 'a missing deployment (authorised in the namespace asked before the look-up)',
    args: () => ({ params: { deploymentID: randomUUID() }, query: { namespace: 'web' } }),
    expect: () =>
      only({
        readWeb: notFound('deployment not found'),
        nodeReadWeb: notFound('deployment not found'),
        management: notFound('deployment not found'),
      }),
  },

  // evaluations
  {
    key: 'evaluations.list',
    what: 'no namespace (default)',
    args: () => ({}),
    read: byId('ID'),
    expect: () => only({ denyWeb: list('default'), management: list('default') }),
  },
  {
    key: 'evaluations.list',
    what: 'namespace=web',
    args: () => ({ query: { namespace: 'web' } }),
    read: byId('ID'),
    expect: () => only({ readWeb: list('web'), nodeReadWeb: list('web'), management: list('web') }),
  },
  {
    key: 'evaluations.list',
    what: 'namespace=*',
    args: () => ({ query: { namespace: '*' } }),
    read: byId('ID'),
    expect: () =>
      only({
        readWeb: list('web'),
        nodeReadWeb: list('web'),
        otherNamespace: list('db'),
        denyWeb: list('db', 'default'),
        ghost: list(),
        management: list(...ALL_ALLOCS),
      }),
  },
  {
    key: 'evaluations.info',
    what: 'the web evaluation',
    args: (w) => ({ params: { evalID: w.evals.web } }),
    read: byId('ID'),
    expect: () => only({ readWeb: one('web'), nodeReadWeb: one('web'), management: one('web') }),
  },
  {
    key: 'evaluations.info',
    what: 'the db evaluation (namespace=web asked: ignored)',
    args: (w) => ({ params: { evalID: w.evals.db }, query: { namespace: 'web' } }),
    read: byId('ID'),
    expect: () => only({ otherNamespace: one('db'), denyWeb: one('db'), management: one('db') }),
  },
  {
    key: 'evaluations.info',
    what: 'a missing evaluation',
    args: () => ({ params: { evalID: randomUUID() } }),
    expect: () => missing('eval not found'),
  },
  {
    key: 'evaluations.allocations',
    what: 'the web evaluation, namespace=web',
    args: (w) => ({ params: { evalID: w.evals.web }, query: { namespace: 'web' } }),
    read: allocReader,
    expect: () => only({ readWeb: list('web'), nodeReadWeb: list('web'), management: list('web') }),
  },
  {
    key: 'evaluations.allocations',
    what: "the db evaluation asked with namespace=web (its allocations' namespace decides)",
    args: (w) => ({ params: { evalID: w.evals.db }, query: { namespace: 'web' } }),
    read: allocReader,
    expect: () => only({ management: list('db') }),
  },
  {
    key: 'evaluations.allocations',
    what: 'the db evaluation, namespace=db',
    args: (w) => ({ params: { evalID: w.evals.db }, query: { namespace: 'db' } }),
    read: allocReader,
    expect: () => only({ otherNamespace: list('db'), denyWeb: list('db'), management: list('db') }),
  },

  // nodes
  {
    key: 'nodes.list',
    what: 'all nodes',
    args: () => ({}),
    read: byId('ID'),
    expect: () =>
      only({ nodeReadWeb: list('A', 'B'), nodeWrite: list('A', 'B'), management: list('A', 'B') }),
  },
  {
    key: 'nodes.info',
    what: 'node A (its own agent may read it; node B may not)',
    args: (w) => ({ params: { nodeID: w.nodes.A.ID } }),
    read: byId('ID'),
    expect: () =>
      only({ nodeReadWeb: one('A'), nodeWrite: one('A'), management: one('A'), nodeA: one('A') }),
  },
  {
    key: 'nodes.info',
    what: 'a missing node (node:read, or being that node, checked before the look-up)',
    args: () => ({ params: { nodeID: randomUUID() } }),
    expect: () =>
      only({
        nodeReadWeb: notFound('node not found'),
        nodeWrite: notFound('node not found'),
        management: notFound('node not found'),
      }),
  },
  {
    key: 'nodes.allocations',
    what: "node A's (web and db)",
    args: (w) => ({ params: { nodeID: w.nodes.A.ID } }),
    read: allocReader,
    expect: () =>
      only({
        nodeReadWeb: list('web'),
        nodeWrite: list(),
        management: list('web', 'db'),
        nodeA: list('web', 'db'),
      }),
  },
  {
    key: 'nodes.allocations',
    what: "node B's (default)",
    args: (w) => ({ params: { nodeID: w.nodes.B.ID } }),
    read: allocReader,
    expect: () =>
      only({
        nodeReadWeb: list(),
        nodeWrite: list(),
        management: list('default'),
        nodeB: list('default'),
      }),
  },
  {
    key: 'nodes.allocations',
    what: 'a missing node',
    args: () => ({ params: { nodeID: randomUUID() } }),
    read: allocReader,
    expect: () => only({ nodeReadWeb: list(), nodeWrite: list(), management: list() }),
  },
  {
    key: 'nodeAgent.allocations',
    what: "node A's, for its agent",
    args: (w) => ({ params: { nodeID: w.nodes.A.ID } }),
    read: allocReader,
    expect: () => only({ nodeA: list('web', 'db') }),
  },
  {
    key: 'nodeAgent.allocations',
    what: 'a missing node',
    args: () => ({ params: { nodeID: randomUUID() } }),
    expect: () => missing('node not found'),
  },

  // namespaces
  {
    key: 'namespaces.list',
    what: 'all namespaces',
    args: () => ({}),
    read: byName,
    expect: () =>
      cellsOr(list(), {
        unknown: DENIED,
        expired: DENIED,
        otherNamespace: list('db'),
        readWeb: list('web'),
        listJobsWeb: list('web'),
        lifecycleWeb: list('web'),
        denyWeb: list('db', 'default'),
        nodeReadWeb: list('web'),
        management: list('db', 'default', 'web'),
      }),
  },
  {
    key: 'namespaces.info',
    what: 'web',
    args: () => ({ params: { name: 'web' } }),
    read: byName,
    expect: () =>
      only({
        readWeb: one('web'),
        listJobsWeb: one('web'),
        lifecycleWeb: one('web'),
        nodeReadWeb: one('web'),
        management: one('web'),
      }),
  },
  {
    key: 'namespaces.info',
    what: 'db',
    args: () => ({ params: { name: 'db' } }),
    read: byName,
    expect: () => only({ otherNamespace: one('db'), denyWeb: one('db'), management: one('db') }),
  },
  {
    key: 'namespaces.info',
    what: 'ghost (missing; authorised before the look-up)',
    args: () => ({ params: { name: 'ghost' } }),
    expect: () =>
      only({
        ghost: notFound('Namespace not found'),
        denyWeb: notFound('Namespace not found'),
        management: notFound('Namespace not found'),
      }),
  },

  // cluster and agent: status, regions and health need no token (a bad one is ignored, as
  // Nomad's); self and servers need agent:read, members node:read
  ...(['status.leader', 'status.peers', 'regions.list', 'agent.health'] as const).map(
    (key): Row => ({ key, what: 'anyone', args: () => ({}), expect: () => cellsOr(OK, {}) }),
  ),
  ...(['agent.self', 'agent.servers'] as const).map((key): Row => ({
    key,
    what: 'agent:read',
    args: () => ({}),
    expect: () => only({ management: OK }),
  })),
  {
    key: 'agent.members',
    what: 'node:read',
    args: () => ({}),
    expect: () => only({ nodeReadWeb: OK, nodeWrite: OK, management: OK }),
  },

  // ACL reads
  {
    key: 'acl.policies',
    what: 'all policies',
    args: () => ({}),
    read: byName,
    expect: () => {
      const own = (c: Caller) => list(POLICIES[c]!.name);
      return only({
        none: list(),
        otherNamespace: own('otherNamespace'),
        readWeb: own('readWeb'),
        listJobsWeb: own('listJobsWeb'),
        lifecycleWeb: own('lifecycleWeb'),
        denyWeb: own('denyWeb'),
        ghost: own('ghost'),
        nodeReadWeb: own('nodeReadWeb'),
        nodeWrite: own('nodeWrite'),
        management: list(...Object.values(POLICIES).map((p) => p.name)),
      });
    },
  },
  {
    key: 'acl.policySelf',
    what: "the caller's own policies",
    args: () => ({}),
    read: byName,
    expect: () =>
      only({
        otherNamespace: list(POLICIES.otherNamespace!.name),
        readWeb: list(POLICIES.readWeb!.name),
        listJobsWeb: list(POLICIES.listJobsWeb!.name),
        lifecycleWeb: list(POLICIES.lifecycleWeb!.name),
        denyWeb: list(POLICIES.denyWeb!.name),
        ghost: list(POLICIES.ghost!.name),
        nodeReadWeb: list(POLICIES.nodeReadWeb!.name),
        nodeWrite: list(POLICIES.nodeWrite!.name),
        management: list(...Object.values(POLICIES).map((p) => p.name)),
      }),
  },
  {
    key: 'acl.policyInfo',
    what: 'read-web',
    args: () => ({ params: { name: 'read-web' } }),
    read: byName,
    expect: () => only({ readWeb: one('read-web'), management: one('read-web') }),
  },
  {
    key: 'acl.policyInfo',
    what: 'a missing policy (authorised before the look-up)',
    args: () => ({ params: { name: 'missing-policy' } }),
    expect: () => only({ management: notFound('ACL policy not found') }),
  },
  {
    key: 'acl.policyInfo',
    what: 'anonymous (readable by every token; missing here)',
    args: () => ({ params: { name: 'anonymous' } }),
    expect: () =>
      missing('ACL policy not found', {
        // A node's secret is no ACL token.
        nodeA: DENIED,
        nodeB: DENIED,
      }),
  },
  {
    key: 'acl.tokens',
    what: 'all tokens',
    args: () => ({}),
    read: byId('AccessorID'),
    expect: (w) => only({ management: list(...Object.keys(w.accessor)) }),
  },
  {
    key: 'acl.tokenSelf',
    what: "the caller's own token",
    args: () => ({}),
    read: (body, w) =>
      asList(body).map((t) =>
        t.AccessorID === 'anonymous'
          ? 'anonymous'
          : (w.labels.get(str(t.AccessorID)) ?? `?${str(t.AccessorID)}`),
      ),
    expect: () =>
      cellsOr(DENIED, {
        none: one('anonymous'),
        ...Object.fromEntries(
          (Object.keys(POLICIES) as Caller[])
            .filter((c) => c !== 'expired')
            .map((c) => [c, one(c)]),
        ),
        management: one('management'),
        // A node's secret is an identity, not a token.
        nodeA: notFound('ACL token not found'),
        nodeB: notFound('ACL token not found'),
      }),
  },
  {
    key: 'acl.tokenInfo',
    what: "readWeb's token",
    args: (w) => ({ params: { accessor: w.accessor.readWeb! } }),
    read: byId('AccessorID'),
    expect: () => only({ readWeb: one('readWeb'), management: one('readWeb') }),
  },
  {
    key: 'acl.tokenInfo',
    what: 'a missing token (only management learns it is missing)',
    args: () => ({ params: { accessor: randomUUID() } }),
    expect: () => only({ management: notFound('ACL token not found') }),
  },
];

// ---------------------------------------------------------------------------------------------
// Writes: each cell on objects of its own

/** Creates a web allocation for a stop cell to stop; answers its ID. */
async function placedAlloc(w: World, ns: Ns): Promise<string> {
  const id = w.fresh(`stop-${ns}`);
  await w.acl.must(
    'jobs.register',
    { query: { namespace: ns }, body: { Job: jobSpec(id, ns, DATACENTER[ns]) } },
    w.mgmt,
  );
  const { store } = w.acl.server;
  await waitForState(store, () => store.allocsByJob(ns, id).length === 1);
  await w.acl.settle();
  return store.allocsByJob(ns, id)[0]!.ID;
}

async function scratchJob(w: World, ns: Ns): Promise<string> {
  const id = w.fresh('scratch');
  await w.acl.must(
    'jobs.register',
    { query: { namespace: ns }, body: { Job: jobSpec(id, ns, DATACENTER[ns], 0) } },
    w.mgmt,
  );
  return id;
}

async function scratchToken(w: World): Promise<AclToken> {
  return (await w.acl.must(
    'acl.tokenCreate',
    { body: { Name: w.fresh('scratch'), Type: 'client', Policies: ['read-web'] } },
    w.mgmt,
  )) as AclToken;
}

const lifecycleAllowed = only({ lifecycleWeb: OK, management: OK });
/** A node ID no node has, for the statistics rows (the 404 text names it). */
const MISSING_NODE = randomUUID();
const managementOnly = only({ management: OK });
const signalBody = { Signal: 'SIGHUP' };
const restartBody = {};

const writeRows: Row[] = [
  ...(['acl.bootstrap', 'acl.bootstrapPut'] as const).map((key): Row => ({
    key,
    what: 'again (needs no token; always done already)',
    args: () => ({ body: {} }),
    effect: 'write',
    expect: (w) =>
      cellsOr(
        { status: 400, text: `ACL bootstrap already done (reset index: ${w.bootstrapIndex})` },
        {},
      ),
  })),
  ...(['acl.policyUpsert', 'acl.policyUpsertPut'] as const).map((key): Row => ({
    key,
    what: 'a new policy',
    args: (w) => {
      const name = w.fresh('policy');
      return {
        params: { name },
        body: { Name: name, Rules: 'namespace "web" { policy = "read" }' },
      };
    },
    effect: 'write',
    expect: () => managementOnly,
  })),
  {
    key: 'acl.policyDelete',
    what: 'an existing policy',
    args: async (w) => {
      const name = w.fresh('policy');
      await w.acl.must(
        'acl.policyUpsert',
        { params: { name }, body: { Name: name, Rules: 'node { policy = "read" }' } },
        w.mgmt,
      );
      return { params: { name } };
    },
    effect: 'write',
    expect: () => managementOnly,
  },
  ...(['acl.tokenCreate', 'acl.tokenCreatePut'] as const).map((key): Row => ({
    key,
    what: 'a client token',
    args: (w) => ({ body: { Name: w.fresh('token'), Type: 'client', Policies: ['read-web'] } }),
    effect: 'write',
    expect: () => managementOnly,
  })),
  ...(['acl.tokenCreate', 'acl.tokenCreatePut'] as const).map((key): Row => ({
    key,
    what: 'a management token',
    args: (w) => ({ body: { Name: w.fresh('token'), Type: 'management' } }),
    effect: 'write',
    expect: () => managementOnly,
  })),
  ...(['acl.tokenUpdate', 'acl.tokenUpdatePut'] as const).map((key): Row => ({
    key,
    what: 'an existing token, widened to management',
    args: async (w) => {
      const token = await scratchToken(w);
      return {
        params: { accessor: token.AccessorID },
        body: { AccessorID: token.AccessorID, Name: 'widened', Type: 'management' },
      };
    },
    effect: 'write',
    expect: () => managementOnly,
  })),
  {
    key: 'acl.tokenUpdate',
    what: "the caller's own token, widened to management",
    args: (w, caller) => {
      const accessor = w.accessor[caller] ?? randomUUID();
      return {
        params: { accessor },
        // The bootstrap token is global, and an update may not change that.
        body: {
          AccessorID: accessor,
          Name: 'mine',
          Type: 'management',
          Global: caller === 'management',
        },
      };
    },
    effect: 'write',
    expect: () =>
      // Callers without a token name a random accessor: only management finds out it is missing.
      only({ management: OK }),
  },
  {
    key: 'acl.tokenDelete',
    what: 'an existing token',
    args: async (w) => ({ params: { accessor: (await scratchToken(w)).AccessorID } }),
    effect: 'write',
    expect: () => managementOnly,
  },
  ...(['namespaces.register', 'namespaces.registerPut'] as const).map((key): Row => ({
    key,
    what: 'a new namespace',
    args: (w) => {
      const name = w.fresh('ns');
      return { params: { name }, body: { Name: name } };
    },
    effect: 'write',
    expect: () => managementOnly,
  })),
  ...(['namespaces.register', 'namespaces.create', 'namespaces.createPut'] as const).map(
    (key): Row => ({
      key,
      what: 'web, updated',
      args: () => ({
        ...(key === 'namespaces.register' && { params: { name: 'web' } }),
        body: { Name: 'web', Description: 'updated' },
      }),
      effect: 'write',
      expect: () => managementOnly,
    }),
  ),
  {
    key: 'namespaces.delete',
    what: 'an empty namespace',
    args: async (w) => {
      const name = w.fresh('ns');
      await w.acl.must('namespaces.register', { params: { name }, body: { Name: name } }, w.mgmt);
      return { params: { name } };
    },
    effect: 'write',
    expect: () => managementOnly,
  },
  ...(['jobs.register', 'jobs.registerPost'] as const).flatMap((key): Row[] =>
    (['web', 'db'] as const).map((ns): Row => ({
      key,
      what: `a new job in ${ns}`,
      args: (w) => ({
        query: { namespace: ns },
        body: { Job: jobSpec(w.fresh('job'), ns, DATACENTER[ns], 0) },
      }),
      effect: 'write',
      expect: () =>
        ns === 'web' ? managementOnly : only({ otherNamespace: OK, denyWeb: OK, management: OK }),
    })),
  ),
  ...(['jobs.update', 'jobs.updatePut'] as const).map((key): Row => ({
    key,
    what: 'an existing job in web',
    args: async (w) => {
      const id = await scratchJob(w, 'web');
      return {
        params: { jobID: id },
        query: { namespace: 'web' },
        body: { Job: { ...jobSpec(id, 'web', 'dc1', 0), Meta: { changed: 'yes' } } },
      };
    },
    effect: 'write',
    expect: () => managementOnly,
  })),
  {
    key: 'jobs.update',
    what: 'a job in web named with namespace=db in the query (the query decides)',
    args: async (w) => {
      const id = await scratchJob(w, 'web');
      return {
        params: { jobID: id },
        query: { namespace: 'db' },
        body: { Job: jobSpec(id, 'web', 'dc1', 0) },
      };
    },
    effect: 'write',
    // As Nomad's agent: the query's namespace wins, so this registers the job in db.
    expect: () => only({ otherNamespace: OK, denyWeb: OK, management: OK }),
    verify: (w, args) => {
      const { store } = w.acl.server;
      const id = args.params!.jobID!;
      expect(store.jobByID('db', id)?.Namespace).toBe('db');
      expect(store.jobByID('web', id)?.Version).toBe(0);
    },
  },
  ...(['web', 'db'] as const).map((ns): Row => ({
    key: 'jobs.deregister',
    what: `an existing job in ${ns}`,
    args: async (w) => ({
      params: { jobID: await scratchJob(w, ns) },
      query: { namespace: ns },
    }),
    effect: 'write',
    expect: () =>
      ns === 'web' ? managementOnly : only({ otherNamespace: OK, denyWeb: OK, management: OK }),
  })),
  {
    key: 'jobs.deregister',
    what: 'a missing job in web (authorised in the namespace before the look-up)',
    args: () => ({ params: { jobID: 'nope' }, query: { namespace: 'web' } }),
    effect: 'write',
    expect: () => only({ management: notFound('job not found') }),
  },
  ...(['jobs.scale', 'jobs.scalePut'] as const).flatMap((key): Row[] => [
    ...(['web', 'db'] as const).map((ns): Row => ({
      key,
      what: `a count for an existing job in ${ns}`,
      args: async (w) => ({
        params: { jobID: await scratchJob(w, ns) },
        query: { namespace: ns },
        body: { Count: 0, Target: { Group: 'web' } },
      }),
      effect: 'write',
      expect: () =>
        ns === 'web' ? managementOnly : only({ otherNamespace: OK, denyWeb: OK, management: OK }),
    })),
    {
      key,
      what: 'a missing job in web (authorised in the namespace before the look-up)',
      args: () => ({
        params: { jobID: 'nope' },
        query: { namespace: 'web' },
        body: { Count: 0, Target: { Group: 'web' } },
      }),
      effect: 'write',
      expect: () => only({ management: notFound('job "nope" not found') }),
    },
  ]),
  ...(['jobs.evaluate', 'jobs.evaluatePut'] as const).flatMap((key): Row[] => [
    ...(['web', 'db'] as const).map((ns): Row => ({
      key,
      what: `an existing job in ${ns}`,
      args: async (w) => {
        const id = await scratchJob(w, ns);
        return { params: { jobID: id }, query: { namespace: ns }, body: { JobID: id } };
      },
      effect: 'write',
      expect: () =>
        ns === 'web' ? managementOnly : only({ otherNamespace: OK, denyWeb: OK, management: OK }),
    })),
    {
      key,
      what: 'a missing job in web (authorised in the namespace before the look-up)',
      args: () => ({
        params: { jobID: 'nope' },
        query: { namespace: 'web' },
        body: { JobID: 'nope' },
      }),
      effect: 'write',
      expect: () => only({ management: notFound('job not found') }),
    },
  ]),
  // A job plan is a dry run: authorised as a register (submit-job or plan-job), it writes nothing.
  ...(['jobs.plan', 'jobs.planPut'] as const).flatMap((key): Row[] =>
    (['web', 'db'] as const).map((ns): Row => ({
      key,
      what: `a new job in ${ns} (nothing is written)`,
      args: (w) => {
        const id = w.fresh('plan');
        return {
          params: { jobID: id },
          query: { namespace: ns },
          body: { Job: jobSpec(id, ns, DATACENTER[ns]) },
        };
      },
      effect: 'maybe-write',
      expect: () =>
        ns === 'web' ? managementOnly : only({ otherNamespace: OK, denyWeb: OK, management: OK }),
      verify: (w, args) => {
        expect(w.acl.server.store.jobByID(ns, args.params!.jobID!)).toBeUndefined();
      },
    })),
  ),
  // Parsing a jobspec reads nothing and writes nothing: parse-job (in read) or submit-job.
  ...(['jobs.parse', 'jobs.parsePut'] as const).flatMap((key): Row[] =>
    (['web', 'db'] as const).map((ns): Row => ({
      key,
      what: `an HCL jobspec in ${ns} (nothing is written)`,
      args: () => ({
        query: { namespace: ns },
        body: {
          JobHCL:
            'job "parsed" {\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n    }\n  }\n}',
        },
      }),
      effect: 'maybe-write',
      expect: () =>
        ns === 'web'
          ? only({ readWeb: OK, nodeReadWeb: OK, management: OK })
          : only({ otherNamespace: OK, denyWeb: OK, management: OK }),
      verify: (w) => {
        expect(w.acl.server.store.jobByID(ns, 'parsed')).toBeUndefined();
      },
    })),
  ),
  ...(['allocations.stop', 'allocations.stopPut'] as const).flatMap((key): Row[] => [
    {
      key,
      what: 'a web allocation',
      args: async (w) => ({ params: { allocID: await placedAlloc(w, 'web') } }),
      effect: 'write',
      expect: () => lifecycleAllowed,
    },
    {
      key,
      what: 'a db allocation',
      args: async (w) => ({ params: { allocID: await placedAlloc(w, 'db') } }),
      effect: 'write',
      expect: () => only({ otherNamespace: OK, denyWeb: OK, management: OK }),
    },
    {
      key,
      what: 'a missing allocation',
      args: () => ({ params: { allocID: randomUUID() } }),
      effect: 'write',
      expect: () => missing('allocation not found'),
    },
  ]),
  ...(
    [
      ['allocations.signal', signalBody],
      ['allocations.signalPut', signalBody],
      ['allocations.restart', restartBody],
      ['allocations.restartPut', restartBody],
    ] as const
  ).flatMap(([key, body]): Row[] => [
    {
      key,
      what: 'the web allocation',
      args: (w) => ({ params: { allocID: w.allocs.web }, body }),
      effect: 'forward',
      expect: () => lifecycleAllowed,
    },
    {
      key,
      what: 'a missing allocation',
      args: () => ({ params: { allocID: randomUUID() }, body }),
      effect: 'forward',
      expect: () => {
        // The text names the ID asked for, so each cell gets its own.
        return missing('Unknown allocation');
      },
    },
  ]),
  {
    key: 'allocations.signal',
    what: "the web allocation, the caller's token in the body's AuthToken (no header)",
    tokenInBody: true,
    args: (w) => ({ params: { allocID: w.allocs.web }, body: signalBody }),
    effect: 'forward',
    expect: () => lifecycleAllowed,
  },
  // Statistics are reads, forwarded to the node: read-job in the allocation's namespace, or
  // node:read for a node's host statistics; refused before anything reaches the agent.
  {
    key: 'clientStats.allocation',
    what: 'the web allocation',
    args: (w) => ({ params: { allocID: w.allocs.web } }),
    effect: 'forward',
    forwarded: (_w, args) => ({
      method: 'GET',
      path: `/v1/client/allocation/${args.params!.allocID}/stats`,
    }),
    expect: () => only({ readWeb: OK, nodeReadWeb: OK, management: OK }),
  },
  {
    key: 'clientStats.allocation',
    what: 'a missing allocation',
    args: () => ({ params: { allocID: randomUUID() } }),
    effect: 'forward',
    expect: () => missing('Unknown allocation'),
  },
  {
    key: 'clientStats.host',
    what: "node A's host statistics",
    args: (w) => ({ query: { node_id: w.nodes.A.ID } }),
    effect: 'forward',
    forwarded: (w) => ({ method: 'GET', path: `/v1/client/stats?node_id=${w.nodes.A.ID}` }),
    expect: () => only({ nodeReadWeb: OK, nodeWrite: OK, management: OK }),
  },
  {
    key: 'clientStats.host',
    what: 'a missing node (node:read is checked first)',
    args: () => ({ query: { node_id: MISSING_NODE } }),
    effect: 'forward',
    expect: () => {
      const text = notFound(`Unknown node ${MISSING_NODE}`);
      return only({ nodeReadWeb: text, nodeWrite: text, management: text });
    },
  },
  {
    key: 'clientStats.host',
    what: 'no node_id (a server has no node of its own: 400 before any check)',
    args: () => ({}),
    effect: 'forward',
    expect: () => cellsOr({ status: 400, text: 'No local Node and node_id not provided' }, {}),
  },
  // Files and logs are reads forwarded to the node: read-logs (logs) or read-fs (the rest) in
  // the allocation's namespace, which only `write` grants; the query string goes on as it came.
  ...(
    [
      ['clientFS.logs', { task: 'app', type: 'stdout' }],
      ['clientFS.list', { path: '/alloc' }],
      ['clientFS.stat', { path: 'alloc/logs' }],
      ['clientFS.cat', { path: 'alloc/data' }],
      ['clientFS.readAt', { path: 'alloc/data', offset: '0', limit: '10' }],
      ['clientFS.stream', { path: 'alloc/data', follow: 'false' }],
    ] as const
  ).flatMap(([key, query]): Row[] => {
    const forwarded = (_w: World, args: RouteArgs) => ({
      method: 'GET',
      path: `/v1/client/fs/${FS_PATHS[key]}/${args.params!.allocID}?${new URLSearchParams(query).toString()}`,
    });
    return [
      {
        key,
        what: 'the web allocation',
        args: (w) => ({ params: { allocID: w.allocs.web }, query }),
        effect: 'forward',
        forwarded,
        expect: () => only({ management: OK }),
      },
      {
        key,
        what: 'the db allocation (write in db, or everywhere but web, grants it)',
        args: (w) => ({ params: { allocID: w.allocs.db }, query }),
        effect: 'forward',
        forwarded,
        expect: () => only({ otherNamespace: OK, denyWeb: OK, management: OK }),
      },
      {
        key,
        what: 'a missing allocation',
        args: () => ({ params: { allocID: randomUUID() }, query }),
        effect: 'forward',
        expect: () => missing('Unknown allocation'),
      },
    ];
  }),
  {
    key: 'nodeAgent.register',
    what: 'a new node (node:write)',
    args: (w) => ({ body: nodeRegistration('dc9', w.agent.httpAddr, w.fresh('node')) }),
    effect: 'write',
    expect: () => only({ nodeWrite: OK, management: OK }),
  },
  {
    key: 'nodeAgent.register',
    what: 'node A again, with its secret in the body',
    args: (w) => ({ body: { ...w.nodes.A, Status: 'ready' } }),
    effect: 'maybe-write',
    expect: () => only({ nodeWrite: OK, management: OK, nodeA: OK }),
  },
  ...(['nodes.updateDrain', 'nodes.updateDrainPut'] as const).flatMap((key): Row[] => [
    {
      key,
      what: 'node A, no drain to cancel (node:write, or node A itself)',
      args: (w) => ({ params: { nodeID: w.nodes.A.ID }, body: { DrainSpec: null } }),
      effect: 'write',
      expect: () => only({ nodeWrite: OK, management: OK, nodeA: OK }),
    },
    {
      key,
      what: 'a missing node',
      args: () => ({ params: { nodeID: randomUUID() }, body: { DrainSpec: null } }),
      effect: 'write',
      expect: () =>
        only({ nodeWrite: notFound('node not found'), management: notFound('node not found') }),
    },
  ]),
  ...(['nodes.toggleEligibility', 'nodes.toggleEligibilityPut'] as const).flatMap((key): Row[] => [
    {
      key,
      what: 'node A, already eligible (node:write)',
      args: (w) => ({ params: { nodeID: w.nodes.A.ID }, body: { Eligibility: 'eligible' } }),
      effect: 'maybe-write',
      expect: () => only({ nodeWrite: OK, management: OK }),
    },
    {
      key,
      what: 'a missing node',
      args: () => ({ params: { nodeID: randomUUID() }, body: { Eligibility: 'eligible' } }),
      effect: 'write',
      expect: () =>
        only({ nodeWrite: notFound('node not found'), management: notFound('node not found') }),
    },
  ]),
  {
    key: 'nodeAgent.heartbeat',
    what: 'node A',
    args: (w) => ({ params: { nodeID: w.nodes.A.ID }, body: { Status: 'ready' } }),
    effect: 'maybe-write',
    expect: () => only({ nodeA: OK }),
  },
  {
    key: 'nodeAgent.heartbeat',
    what: 'a missing node',
    args: () => ({ params: { nodeID: randomUUID() }, body: { Status: 'ready' } }),
    effect: 'write',
    expect: () => missing('node not found'),
  },
  {
    key: 'nodeAgent.updateAllocations',
    what: "node A's web allocation, reported by node A's path",
    args: (w) => ({
      params: { nodeID: w.nodes.A.ID },
      body: { Allocs: [{ ID: w.allocs.web, ClientStatus: 'running' }] },
    }),
    effect: 'write',
    expect: () => only({ nodeA: OK }),
  },
  {
    key: 'nodeAgent.updateAllocations',
    what: "node A's web allocation, reported by node B's path",
    args: (w) => ({
      params: { nodeID: w.nodes.B.ID },
      body: { Allocs: [{ ID: w.allocs.web, ClientStatus: 'failed' }] },
    }),
    effect: 'write',
    expect: () => only({}),
  },
  {
    key: 'nodeAgent.updateAllocations',
    what: 'a missing node',
    args: (w) => ({
      params: { nodeID: randomUUID() },
      body: { Allocs: [{ ID: w.allocs.web, ClientStatus: 'failed' }] },
    }),
    effect: 'write',
    expect: () => missing('node not found'),
  },
];

// ---------------------------------------------------------------------------------------------
// Running the matrix

let world: World;
beforeAll(async () => {
  world = await buildWorld();
}, 60_000);
afterAll(async () => {
  await world?.acl.close();
  await world?.agent.close();
});

const JSON_TYPE = 'application/json; charset=utf-8';

/** What a cell observed, in the shape of its expectation (so a failure shows both). */
async function observe(row: Row, caller: Caller, expected: Expect) {
  const w = world;
  let args = await row.args(w, caller);
  let token = w.secret[caller];
  if (row.tokenInBody) {
    args = { ...args, body: { ...(args.body as object), AuthToken: token } };
    token = '';
  }
  const answer = await w.acl.call(row.key, args, token);
  if (answer.status < 200 || answer.status >= 300) {
    let text = String(answer.body);
    // `Unknown allocation "<id>"` names the ID asked for.
    const allocID = args.params?.allocID;
    if (allocID !== undefined && text === `Unknown allocation "${allocID}"`) {
      text = 'Unknown allocation';
    }
    return {
      observed: { status: answer.status, text, contentType: answer.contentType },
      expected: { ...expected, contentType: 'text/plain; charset=utf-8' },
      args,
    };
  }
  if ('labels' in expected) {
    const labels = row.read!(answer.body, w).sort();
    return {
      observed: { status: answer.status, labels, contentType: answer.contentType },
      expected: { ...expected, labels: [...expected.labels].sort(), contentType: JSON_TYPE },
      args,
    };
  }
  if ('label' in expected) {
    const labels = row.read!(answer.body, w);
    return {
      observed: {
        status: answer.status,
        label: labels.length === 1 ? labels[0] : labels,
        contentType: answer.contentType,
      },
      expected: { ...expected, contentType: JSON_TYPE },
      args,
    };
  }
  return { observed: { status: answer.status }, expected, args };
}

const cellCount = { reads: 0, writes: 0 };

function runRows(rows: Row[]) {
  for (const row of rows) {
    describe(`${row.key}: ${row.what}`, () => {
      for (const caller of CALLERS) {
        if (row.effect) cellCount.writes++;
        else cellCount.reads++;
        test(`${caller} (${CALLER_DESCRIPTIONS[caller]})`, async () => {
          const w = world;
          const expected = row.expect(w)[caller];
          if (!row.effect) {
            const { observed, expected: shaped } = await observe(row, caller, expected);
            expect(observed).toEqual(shaped);
            return;
          }
          const { store } = w.acl.server;
          // The cell's own objects are created first; the indexes are read once they settled.
          const before = { index: -1, calls: -1 };
          const snapshotting: Row = {
            ...row,
            args: async (w2, c) => {
              const args = await row.args(w2, c);
              await w.acl.settle();
              before.index = store.latestIndex();
              before.calls = w.agent.calls.length;
              return args;
            },
          };
          const {
            observed,
            expected: shaped,
            args,
          } = await observe(snapshotting, caller, expected);
          expect(observed).toEqual(shaped);
          await w.acl.settle();
          const forwarded = w.agent.calls.slice(before.calls);
          if (expected.status !== 200) {
            // Refused: nothing written, nothing forwarded.
            expect(store.latestIndex()).toBe(before.index);
            expect(forwarded).toEqual([]);
            return;
          }
          row.verify?.(w, args);
          if (row.effect === 'write') expect(store.latestIndex()).toBeGreaterThan(before.index);
          if (row.effect === 'forward') {
            const action = row.key.startsWith('allocations.signal') ? 'signal' : 'restart';
            const call = row.forwarded?.(w, args) ?? {
              method: 'POST',
              path: `/v1/client/allocation/${args.params!.allocID}/${action}`,
            };
            expect(forwarded).toEqual([{ ...call, token: w.nodes.A.SecretID }]);
          }
        });
      }
    });
  }
}

describe('every route of the contract has a row', () => {
  test('no route is missing from the matrix, and no row names a route that does not exist', () => {
    const keys = contractRouteKeys();
    const covered = new Set([...readRows, ...writeRows].map((r) => r.key));
    expect(keys.filter((k) => !covered.has(k))).toEqual([]);
    expect([...covered].filter((k) => !keys.includes(k))).toEqual([]);
  });
});

describe('reads against the fixed world', () => {
  runRows(readRows);
});

describe('writes, each cell on objects of its own', () => {
  runRows(writeRows);
});

describe('the matrix', () => {
  test('counts', () => {
    // Printed for the report: rows × callers.
    console.log(
      `ACL matrix: ${readRows.length + writeRows.length} rows × ${CALLERS.length} callers = ` +
        `${cellCount.reads} read cells + ${cellCount.writes} write cells`,
    );
    expect(cellCount.reads + cellCount.writes).toBe(
      (readRows.length + writeRows.length) * CALLERS.length,
    );
  });
});
