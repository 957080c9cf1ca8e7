// Every read body carries exactly the fields Nomad's Go structs send, at every nesting level: the
// field sets of real answers (a node registered by its agent, a job with one group and task, its
// allocation and evaluation) against the lists read from Nomad's source (NOMAD_FIELDS).
import type { NodeRegistration } from '@berth/contract';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { agentClient } from '../../nodes/testing/agent-client.js';
import { startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockNode } from '../../test-support/mock.js';
import { NOMAD_FIELDS } from '../../test-support/nomad-fields.js';
import { waitForState } from '../../test-support/wait-for-state.js';

type Struct = keyof typeof NOMAD_FIELDS;
type Body = Record<string, unknown>;

/** Where berth departs from Nomad's field set on purpose, per struct. */
const EXTRAS: Partial<Record<Struct, readonly string[]>> = {
  // The spec's first table: the list stub also carries PreviousAllocation.
  AllocListStub: ['PreviousAllocation'],
  // Nomad's encoder extension for Node adds the legacy `Drain` (nomad/structs/extensions.go).
  Node: ['Drain'],
};
const LEFT_OUT: Partial<Record<Struct, readonly string[]>> = {
  // Nomad sends the sanitised secret as ""; berth never puts the key in a read body.
  Node: ['SecretID'],
};

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ scheduling: true, heartbeat: { ttlMs: 60_000 } });
});
afterEach(() => server.close());

/** The problems of one body against its struct's list: missing and unknown fields. */
function fieldProblems(body: unknown, struct: Struct, where: string): string[] {
  expect(body, where).toBeTypeOf('object');
  const spec = NOMAD_FIELDS[struct];
  const keys = new Set(Object.keys(body as Body));
  const known = new Set<string>([...spec.fields, ...(EXTRAS[struct] ?? [])]);
  const mayLack = new Set<string>([...spec.omitEmpty, ...(LEFT_OUT[struct] ?? [])]);
  return [
    ...spec.fields.filter((f) => !keys.has(f) && !mayLack.has(f)).map((f) => `${where}: no ${f}`),
    ...[...keys].filter((k) => !known.has(k)).map((k) => `${where}: unknown ${k}`),
  ];
}

/** The problems of a job and everything nested in it that is set. */
function jobProblems(job: Body, where: string): string[] {
  const out = fieldProblems(job, 'Job', where);
  for (const [i, tg] of ((job.TaskGroups ?? []) as Body[]).entries()) {
    const at = `${where}.TaskGroups[${i}]`;
    out.push(...fieldProblems(tg, 'TaskGroup', at));
    out.push(...fieldProblems(tg.RestartPolicy, 'RestartPolicy', `${at}.RestartPolicy`));
    out.push(...fieldProblems(tg.ReschedulePolicy, 'ReschedulePolicy', `${at}.ReschedulePolicy`));
    out.push(...fieldProblems(tg.Migrate, 'MigrateStrategy', `${at}.Migrate`));
    out.push(...fieldProblems(tg.EphemeralDisk, 'EphemeralDisk', `${at}.EphemeralDisk`));
    for (const [j, task] of ((tg.Tasks ?? []) as Body[]).entries()) {
      const t = `${at}.Tasks[${j}]`;
      out.push(...fieldProblems(task, 'Task', t));
      out.push(...fieldProblems(task.Resources, 'Resources', `${t}.Resources`));
      out.push(...fieldProblems(task.RestartPolicy, 'RestartPolicy', `${t}.RestartPolicy`));
      out.push(...fieldProblems(task.LogConfig, 'LogConfig', `${t}.LogConfig`));
    }
  }
  return out;
}

async function get(url: string): Promise<unknown> {
  const res = await server.inject({ method: 'GET', url });
  expect(res.statusCode, url).toBe(200);
  return JSON.parse(res.body) as unknown;
}

/**
 * A node as an older agent registers it: none of the fields this check was written for, so the
 * server's own defaults must supply them.
 */
function olderRegistration(): NodeRegistration {
  const node: Record<string, unknown> = { ...mockNode(), SecretID: randomUUID() };
  for (const key of [
    'CgroupParent',
    'ComputedClass',
    'Links',
    'DrainStrategy',
    'IdentitySigningKeyID',
    'CSIControllerPlugins',
    'CSINodePlugins',
    'HostNetworks',
    'GCVolumesOnNodeGC',
    'NodeMaxAllocs',
    'LastMissedHeartbeatIndex',
    'LastAllocUpdateIndex',
  ]) {
    delete node[key];
  }
  const resources = { ...(node.NodeResources as Body) };
  for (const key of ['Processors', 'Devices', 'NodeNetworks']) delete resources[key];
  node.NodeResources = resources;
  return node as NodeRegistration;
}

test('job, allocation, evaluation and node reads carry exactly the fields Nomad sends', async () => {
  const node = olderRegistration();
  const agent = agentClient(server.app, node.SecretID);
  expect((await agent.register({ body: node })).status).toBe(200);
  expect((await agent.heartbeat({ params: { nodeID: node.ID }, body: {} })).status).toBe(200);

  const { data: registered } = await server.client.jobs.register({
    ID: 'web',
    Datacenters: ['dc1'],
    TaskGroups: [
      {
        Name: 'web',
        Tasks: [{ Name: 'web', Driver: 'raw_exec', Config: { command: 'sleep' } }],
      },
    ],
  });
  await waitForState(server.store, () => server.store.allocsByJob('default', 'web').length > 0);
  const allocID = server.store.allocsByJob('default', 'web')[0]!.ID;

  const problems: string[] = [];
  problems.push(...jobProblems((await get('/v1/job/web')) as Body, 'job'));

  const alloc = (await get(`/v1/allocation/${allocID}`)) as Body;
  problems.push(...fieldProblems(alloc, 'Allocation', 'alloc'));
  problems.push(...jobProblems(alloc.Job as Body, 'alloc.Job'));
  for (const [task, r] of Object.entries(alloc.TaskResources as Record<string, Body>)) {
    problems.push(...fieldProblems(r, 'Resources', `alloc.TaskResources.${task}`));
  }
  problems.push(...fieldProblems(alloc.Resources, 'Resources', 'alloc.Resources'));
  problems.push(...fieldProblems(alloc.SharedResources, 'Resources', 'alloc.SharedResources'));
  problems.push(...fieldProblems(alloc.Metrics, 'AllocMetric', 'alloc.Metrics'));
  const allocated = alloc.AllocatedResources as Body;
  problems.push(...fieldProblems(allocated, 'AllocatedResources', 'alloc.AllocatedResources'));
  problems.push(
    ...fieldProblems(allocated.Shared, 'AllocatedSharedResources', 'AllocatedResources.Shared'),
  );
  for (const [task, r] of Object.entries(allocated.Tasks as Record<string, Body>)) {
    const at = `AllocatedResources.Tasks.${task}`;
    problems.push(...fieldProblems(r, 'AllocatedTaskResources', at));
    problems.push(...fieldProblems(r.Cpu, 'AllocatedCpuResources', `${at}.Cpu`));
    problems.push(...fieldProblems(r.Memory, 'AllocatedMemoryResources', `${at}.Memory`));
  }
  for (const stub of (await get('/v1/allocations?resources=true')) as Body[]) {
    problems.push(...fieldProblems(stub, 'AllocListStub', 'alloc stub'));
  }

  const evaluation = (await get(`/v1/evaluation/${registered.EvalID}`)) as Body;
  problems.push(...fieldProblems(evaluation, 'Evaluation', 'eval'));
  for (const e of (await get('/v1/job/web/evaluations')) as Body[]) {
    problems.push(...fieldProblems(e, 'Evaluation', 'job eval'));
    expect(e.WaitUntil).toBe('0001-01-01T00:00:00Z');
  }

  const nodeBody = (await get(`/v1/node/${node.ID}`)) as Body;
  problems.push(...fieldProblems(nodeBody, 'Node', 'node'));
  problems.push(...fieldProblems(nodeBody.NodeResources, 'NodeResources', 'node.NodeResources'));
  // A node that reserves nothing sends `null` (a nil pointer in Nomad too).
  if (nodeBody.ReservedResources !== null) {
    problems.push(
      ...fieldProblems(nodeBody.ReservedResources, 'NodeReservedResources', 'node.Reserved'),
    );
  }
  for (const [name, d] of Object.entries(nodeBody.Drivers as Record<string, Body>)) {
    problems.push(...fieldProblems(d, 'DriverInfo', `node.Drivers.${name}`));
  }
  for (const stub of (await get('/v1/nodes?resources=true&os=true')) as Body[]) {
    problems.push(...fieldProblems(stub, 'NodeListStub', 'node stub'));
  }

  for (const stub of (await get('/v1/jobs?meta=true')) as Body[]) {
    problems.push(...fieldProblems(stub, 'JobListStub', 'job stub'));
    problems.push(...fieldProblems(stub.JobSummary, 'JobSummary', 'job stub.JobSummary'));
    for (const [tg, s] of Object.entries((stub.JobSummary as Body).Summary as Record<string, Body>))
      problems.push(...fieldProblems(s, 'TaskGroupSummary', `JobSummary.Summary.${tg}`));
  }
  problems.push(...fieldProblems(await get('/v1/namespace/default'), 'Namespace', 'namespace'));

  expect(problems).toEqual([]);
  // Go's zero time.Time, never null, for the time an evaluation waits until.
  expect(evaluation.WaitUntil).toBe('0001-01-01T00:00:00Z');
});

test('a versions read with diffs carries exactly the fields Nomad sends, at every level', async () => {
  const spec = (command: string, count: number) => ({
    ID: 'web',
    Meta: { tier: command },
    TaskGroups: [
      {
        Name: 'web',
        Count: count,
        Tasks: [{ Name: 'web', Driver: 'raw_exec', Config: { command } }],
      },
    ],
  });
  await server.client.jobs.register(spec('sleep', 1));
  await server.client.jobs.register(spec('true', 2));
  const body = (await get('/v1/job/web/versions?diffs=true')) as Body;
  const problems = fieldProblems(body, 'JobVersionsResponse', 'versions');
  for (const [i, version] of (body.Versions as Body[]).entries()) {
    problems.push(...jobProblems(version, `Versions[${i}]`));
  }
  const objectProblems = (o: Body, at: string): string[] => [
    ...fieldProblems(o, 'ObjectDiff', at),
    ...((o.Fields ?? []) as Body[]).flatMap((f, i) =>
      fieldProblems(f, 'FieldDiff', `${at}.Fields[${i}]`),
    ),
    ...((o.Objects ?? []) as Body[]).flatMap((n, i) => objectProblems(n, `${at}.Objects[${i}]`)),
  ];
  const [diff] = body.Diffs as Body[];
  problems.push(...fieldProblems(diff, 'JobDiff', 'diff'));
  problems.push(
    ...((diff!.Fields ?? []) as Body[]).flatMap((f) =>
      fieldProblems(f, 'FieldDiff', 'diff.Fields'),
    ),
  );
  const [group] = diff!.TaskGroups as Body[];
  problems.push(...fieldProblems(group, 'TaskGroupDiff', 'diff.TaskGroups[0]'));
  const [task] = group!.Tasks as Body[];
  problems.push(...fieldProblems(task, 'TaskDiff', 'diff.Tasks[0]'));
  for (const [i, o] of ((task!.Objects ?? []) as Body[]).entries()) {
    problems.push(...objectProblems(o, `diff.Tasks[0].Objects[${i}]`));
  }
  expect(problems).toEqual([]);
  // Every level was there to be checked.
  expect([diff!.Fields, group!.Fields, task!.Objects].map((x) => (x as unknown[]).length)).toEqual([
    1, 1, 1,
  ]);
});

test('ACL token and policy reads carry exactly the fields Nomad sends', async () => {
  const acl = await startTestServer({ aclEnabled: true });
  try {
    const root = (await acl.client.acl.bootstrap()).data;
    const admin = acl.clientFor({ token: root.SecretID });
    await admin.acl.policyUpsert({
      Name: 'readonly',
      Rules: 'namespace "default" {\n  policy = "read"\n}\n',
    });
    const read = async (url: string) => {
      const res = await acl.inject({
        method: 'GET',
        url,
        headers: { 'X-Nomad-Token': root.SecretID },
      });
      expect(res.statusCode, url).toBe(200);
      return JSON.parse(res.body) as unknown;
    };
    expect([
      ...fieldProblems(await read('/v1/acl/token/self'), 'ACLToken', 'token self'),
      ...fieldProblems(await read(`/v1/acl/token/${root.AccessorID}`), 'ACLToken', 'token'),
      ...fieldProblems(await read('/v1/acl/policy/readonly'), 'ACLPolicy', 'policy'),
    ]).toEqual([]);
  } finally {
    await acl.close();
  }
});

test('register keeps the fields Nomad always sends, and a read answers them as sent', async () => {
  await server.client.jobs.register({
    ID: 'web',
    ConsulNamespace: 'team',
    NomadTokenID: 'tok',
    UI: { Description: 'the web tier' },
    TaskGroups: [
      {
        Name: 'web',
        PreventRescheduleOnLost: true,
        MaxRunDuration: 60_000_000_000,
        Tasks: [
          {
            Name: 'web',
            Driver: 'raw_exec',
            Identities: [{ Name: 'vault_default', Audience: ['vault.io'] }],
            Resources: { CPU: 200, SecretsMB: 4 },
          },
        ],
      },
    ],
  });
  const job = (await get('/v1/job/web')) as Body;
  expect(job).toMatchObject({
    ConsulNamespace: 'team',
    NomadTokenID: 'tok',
    UI: { Description: 'the web tier' },
    VaultNamespace: '',
    Multiregion: null,
  });
  const [group] = job.TaskGroups as Body[];
  expect(group).toMatchObject({ PreventRescheduleOnLost: true, MaxRunDuration: 60_000_000_000 });
  const [task] = group!.Tasks as Body[];
  expect(task).toMatchObject({
    Identities: [{ Name: 'vault_default', Audience: ['vault.io'] }],
    Identity: null,
    Resources: { CPU: 200, SecretsMB: 4, NUMA: null },
  });
});

test('a job plan answer carries exactly the fields Nomad sends, its evaluations and metrics too', async () => {
  // No node: the placement fails, so the answer has FailedTGAllocs and a blocked evaluation.
  const res = await server.inject({
    method: 'PUT',
    url: '/v1/job/web/plan',
    payload: {
      Job: {
        ID: 'web',
        TaskGroups: [{ Name: 'web', Tasks: [{ Name: 'web', Driver: 'raw_exec' }] }],
      },
      Diff: true,
    },
  });
  expect(res.statusCode).toBe(200);
  const body = JSON.parse(res.body) as Body;
  const annotations = body.Annotations as Body;
  const problems = [
    ...fieldProblems(body, 'JobPlanResponse', 'plan'),
    ...fieldProblems(annotations, 'PlanAnnotations', 'plan.Annotations'),
    ...fieldProblems(
      (annotations.DesiredTGUpdates as Body).web,
      'DesiredUpdates',
      'plan.Annotations.DesiredTGUpdates.web',
    ),
    ...fieldProblems((body.FailedTGAllocs as Body).web, 'AllocMetric', 'plan.FailedTGAllocs.web'),
    ...fieldProblems((body.CreatedEvals as Body[])[0], 'Evaluation', 'plan.CreatedEvals[0]'),
    ...fieldProblems(body.Diff, 'JobDiff', 'plan.Diff'),
  ];
  expect(problems).toEqual([]);
});
