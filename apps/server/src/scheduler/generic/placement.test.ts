// Placing a new job: names, resources, metrics, spreading, and the nodes that are not eligible.
import { AllocationSchema } from '@berth/contract';
import { afterEach, describe, expect, it } from 'vitest';

import { mockJob, mockNode } from '../../test-support/mock.js';
import { nodes, scenario, type Scenario } from './test-support/scenario.js';

let s: Scenario | undefined;
afterEach(() => s?.close());

describe('placing a registered service job', () => {
  it('places count allocations named job.group[i] with complete objects', async () => {
    const job = mockJob({ ID: 'web' });
    s = await scenario({ jobs: [job], nodes: nodes(10, () => mockNode()) });
    const done = await s.evaluate(job);

    expect(done.Status).toBe('complete');
    expect(done.FailedTGAllocs).toBeNull();
    expect(done.QueuedAllocations).toEqual({ web: 0 });
    const allocs = s.running(job);
    expect(allocs.map((a) => a.Name).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `web.web[${i}]`).sort(),
    );
    const stored = s.store.jobByID('default', 'web');
    for (const a of allocs) {
      expect(AllocationSchema.parse(a)).toEqual(a);
      expect(a).toMatchObject({
        EvalID: done.ID,
        DesiredStatus: 'run',
        ClientStatus: 'pending',
        TaskGroup: 'web',
        JobID: 'web',
        Namespace: 'default',
      });
      expect(a.Job).toBe(stored);
      expect(a.NodeName).toBe('foobar');
      expect(a.AllocatedResources?.Tasks?.web?.Cpu.CpuShares).toBe(500);
      expect(a.AllocatedResources?.Tasks?.web?.Memory.MemoryMB).toBe(256);
      expect(a.AllocatedResources?.Shared.DiskMB).toBe(150);
      expect(a.Resources).toMatchObject({ CPU: 500, MemoryMB: 256, DiskMB: 150 });
      expect(a.TaskResources?.web).toMatchObject({ CPU: 500, MemoryMB: 256 });
      expect(a.SharedResources?.DiskMB).toBe(150);
      expect(a.CreateTime).toBeGreaterThan(0);
    }
  });

  it('records placement metrics on every allocation', async () => {
    const job = mockJob({ ID: 'web', Datacenters: ['dc1', 'dc2'] });
    const ns = [...nodes(6, () => mockNode()), ...nodes(4, () => mockNode({ Datacenter: 'dc2' }))];
    s = await scenario({ jobs: [job], nodes: ns });
    await s.evaluate(job);
    for (const a of s.running(job)) {
      const m = a.Metrics;
      expect(m).not.toBeNull();
      expect(m?.NodesAvailable).toEqual({ dc1: 6, dc2: 4 });
      expect(m?.NodesInPool).toBe(10);
      expect(m?.NodePool).toBe('default');
      // log2(10) rounded up: four candidates are ranked for each placement.
      expect(m?.NodesEvaluated).toBeGreaterThanOrEqual(4);
      expect(m?.AllocationTime).toBeGreaterThan(0);
      const scores = m?.ScoreMetaData ?? [];
      expect(scores.length).toBeGreaterThan(0);
      expect(scores.length).toBeLessThanOrEqual(5);
      expect(Object.keys(scores[0]?.Scores ?? {})).toEqual(
        expect.arrayContaining(['binpack', 'job-anti-affinity']),
      );
      // The best score first, and the allocation is on the best-scored node.
      const norms = scores.map((x) => x.NormScore);
      expect([...norms].sort((x, y) => y - x)).toEqual(norms);
      expect(scores[0]?.NodeID).toBe(a.NodeID);
    }
  });

  it('spreads a job over nodes: the anti-affinity penalty outweighs bin packing', async () => {
    const job = mockJob({ ID: 'web' });
    s = await scenario({ jobs: [job], nodes: nodes(10, () => mockNode()) });
    await s.evaluate(job);
    const perNode = new Map<string, number>();
    for (const a of s.running(job)) perNode.set(a.NodeID, (perNode.get(a.NodeID) ?? 0) + 1);
    expect(perNode.size).toBeGreaterThanOrEqual(5);
  });

  it('packs onto the fuller node when the job is not already there', async () => {
    const job = mockJob({ ID: 'one' });
    job.TaskGroups![0]!.Count = 1;
    const busy = mockNode({ Name: 'busy' });
    const idle = mockNode({ Name: 'idle' });
    const other = mockJob({ ID: 'other' });
    s = await scenario({ jobs: [job, other], nodes: [busy, idle] });
    await s.seed({
      allocs: [
        AllocationSchema.parse({
          ID: crypto.randomUUID(),
          Namespace: 'default',
          JobID: 'other',
          Job: other,
          TaskGroup: 'web',
          Name: 'other.web[0]',
          NodeID: busy.ID,
          AllocatedResources: {
            Tasks: { web: { Cpu: { CpuShares: 2000 }, Memory: { MemoryMB: 4096 } } },
          },
          DesiredStatus: 'run',
          ClientStatus: 'running',
        }),
      ],
    });
    await s.evaluate(job);
    expect(s.running(job)[0]?.NodeName).toBe('busy');
  });

  it('is deterministic for one evaluation', async () => {
    const job = mockJob({ ID: 'web' });
    const ns = nodes(20, () => mockNode());
    const placed: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const run = await scenario({ jobs: [job], nodes: ns });
      await run.evaluate(job, { ID: '9f1b4b4e-1f0a-4c55-9d7a-2b2c3d4e5f60' });
      placed.push(
        run
          .running(job)
          .map((a) => `${a.Name}@${a.NodeID}`)
          .sort(),
      );
      run.close();
    }
    expect(placed[0]).toEqual(placed[1]);
  });
});

describe('nodes that cannot take the job', () => {
  const cases = [
    ['down', { Status: 'down' as const }],
    ['initializing', { Status: 'initializing' as const }],
    ['ineligible', { SchedulingEligibility: 'ineligible' as const }],
    ['draining', { Drain: true }],
    ['in another datacenter', { Datacenter: 'dc9' }],
    ['in another node pool', { NodePool: 'gpu' }],
  ] as const;
  for (const [what, overrides] of cases) {
    it(`never places on a node ${what}`, async () => {
      const job = mockJob({ ID: 'web' });
      const bad = mockNode(overrides);
      const good = mockNode();
      s = await scenario({ jobs: [job], nodes: [bad, good] });
      await s.evaluate(job);
      expect(s.running(job).every((a) => a.NodeID === good.ID)).toBe(true);
    });
  }

  it('matches datacenters by glob and the `all` pool', async () => {
    const job = mockJob({ ID: 'web', Datacenters: ['eu-*'], NodePool: 'all' });
    job.TaskGroups![0]!.Count = 4;
    const eu = mockNode({ Datacenter: 'eu-west', NodePool: 'gpu' });
    const us = mockNode({ Datacenter: 'us-east' });
    s = await scenario({ jobs: [job], nodes: [eu, us] });
    await s.evaluate(job);
    expect(new Set(s.running(job).map((a) => a.NodeID))).toEqual(new Set([eu.ID]));
  });

  it('needs every task driver detected and healthy, or a driver attribute', async () => {
    const job = mockJob({ ID: 'web' });
    job.TaskGroups![0]!.Count = 3;
    const unhealthy = mockNode({
      Drivers: { raw_exec: { Detected: true, Healthy: false } },
    } as never);
    const byAttr = mockNode({ Drivers: {} });
    const none = mockNode({ Drivers: {}, Attributes: { 'kernel.name': 'linux' } });
    s = await scenario({ jobs: [job], nodes: [unhealthy, byAttr, none] });
    const done = await s.evaluate(job);
    expect(new Set(s.running(job).map((a) => a.NodeID))).toEqual(new Set([byAttr.ID]));
    expect(done.Status).toBe('complete');
  });
});

describe('a constraint no node meets', () => {
  it('completes the evaluation with FailedTGAllocs and a blocked evaluation', async () => {
    const job = mockJob({
      ID: 'web',
      Constraints: [{ LTarget: '${attr.kernel.name}', RTarget: 'windows', Operand: '=' }],
    });
    s = await scenario({ jobs: [job], nodes: nodes(3, () => mockNode()) });
    const done = await s.evaluate(job);

    expect(s.allocs(job)).toEqual([]);
    expect(done.Status).toBe('complete');
    expect(done.QueuedAllocations).toEqual({ web: 10 });
    const metric = done.FailedTGAllocs?.web;
    expect(metric).toMatchObject({ NodesEvaluated: 3, NodesFiltered: 3, CoalescedFailures: 9 });
    // One node is checked; the others share its computed class, as in Nomad.
    expect(metric?.ConstraintFiltered).toEqual({
      '${attr.kernel.name} = windows': 1,
      'computed class ineligible': 2,
    });
    const [blocked] = s.planner.created;
    expect(blocked).toMatchObject({
      Status: 'blocked',
      TriggeredBy: 'queued-allocs',
      PreviousEval: done.ID,
      JobID: 'web',
      EscapedComputedClass: false,
      StatusDescription: 'created to place remaining allocations',
    });
    expect(Object.values(blocked?.ClassEligibility ?? {})).toEqual([false]);
    expect(done.BlockedEval).toBe(blocked?.ID);
    expect(s.store.evalByID(blocked!.ID)?.Status).toBe('blocked');
  });

  it('counts each node against the constraint when constraints escape the class', async () => {
    const job = mockJob({ ID: 'web' });
    job.TaskGroups![0]!.Constraints = [
      { LTarget: '${node.unique.name}', RTarget: 'nope', Operand: '=' },
    ];
    s = await scenario({ jobs: [job], nodes: nodes(3, () => mockNode()) });
    const done = await s.evaluate(job);
    expect(done.FailedTGAllocs?.web?.ConstraintFiltered).toEqual({
      '${node.unique.name} = nope': 3,
    });
    expect(s.planner.created[0]).toMatchObject({
      EscapedComputedClass: true,
      ClassEligibility: null,
    });
  });

  it('reports missing drivers and node classes', async () => {
    const job = mockJob({ ID: 'web' });
    job.TaskGroups![0]!.Tasks![0]!.Driver = 'docker';
    s = await scenario({ jobs: [job], nodes: [mockNode({ NodeClass: 'large' })] });
    const done = await s.evaluate(job);
    expect(done.FailedTGAllocs?.web).toMatchObject({
      ConstraintFiltered: { 'missing drivers': 1 },
      ClassFiltered: { large: 1 },
    });
  });
});
