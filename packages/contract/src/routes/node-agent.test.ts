import { describe, expect, test } from 'vitest';
import { ErrorText } from '../errors.js';
import { parseJson } from '../go/json-text.js';
import { contract } from './index.js';

const r = contract.nodeAgent;

const node = {
  ID: '5f0b2a4e-1c7d-4b8e-9a6f-3d2c1b0a9e8f',
  SecretID: '0b9a8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d',
  Name: 'laptop',
  Datacenter: 'dc1',
  Attributes: { 'kernel.name': 'linux' },
  HTTPAddr: '127.0.0.1:4647',
};

function issue(result: { success: boolean; error?: { issues: { message: string }[] } }) {
  expect(result.success).toBe(false);
  return result.error?.issues[0]?.message;
}

test('routes: Nomad-style node paths, text errors, strict status codes', () => {
  expect(
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, `${v.method} ${v.path}`])),
  ).toEqual({
    register: 'POST /v1/node/register',
    heartbeat: 'PUT /v1/node/:nodeID/heartbeat',
    allocations: 'GET /v1/node/:nodeID/client-allocations',
    updateAllocations: 'PUT /v1/node/:nodeID/client-allocations',
  });
});

describe('register body', () => {
  test('a bare node and Nomad’s {"Node": ...} parse to the same complete node, secret kept', () => {
    const bare = r.register.body.parse(node);
    expect(r.register.body.parse({ Node: node })).toEqual(bare);
    expect(bare).toMatchObject({ ...node, Status: 'initializing', NodePool: '', Drivers: null });
  });

  test('a node without its secret or ID is a 400 naming the field', () => {
    const noSecret: Partial<typeof node> = { ...node };
    delete noSecret.SecretID;
    expect(issue(r.register.body.safeParse(noSecret))).toBe(
      'Failed to decode body: SecretID: Required',
    );
    expect(issue(r.register.body.safeParse({ Node: { ...node, ID: 7 } }))).toBe(
      'Failed to decode body: json: cannot unmarshal number into Go struct field Node.Node.ID of type string',
    );
    expect(issue(r.register.body.safeParse(undefined))).toBe('Failed to decode body: Required');
  });
});

describe('register body numbers are checked as the Go types of Nomad’s structs.Node', () => {
  /** The register body as sent: `node` with `@x@` replaced by the literal `x`. */
  const sent = (over: Record<string, unknown>, literal?: string) =>
    parseJson(JSON.stringify({ ...node, ...over }).replace('"@x@"', literal ?? '0'));
  const refusal = (body: unknown) => issue(r.register.body.safeParse(body));
  const decodeError = (literal: string, field: string, type: string) =>
    `Failed to decode body: json: cannot unmarshal number ${literal} into Go struct field ${field} of type ${type}`;

  test('resources: int64 amounts, uint16 cores, int ports, from the literal sent', () => {
    const cases: [Record<string, unknown>, string, string, string][] = [
      [
        { NodeResources: { Cpu: { CpuShares: '@x@' } } },
        '1.5',
        'LegacyNodeCpuResources.NodeResources.Cpu.CpuShares',
        'int64',
      ],
      [
        { NodeResources: { Memory: { MemoryMB: '@x@' } } },
        '9223372036854775808',
        'NodeMemoryResources.NodeResources.Memory.MemoryMB',
        'int64',
      ],
      [
        { NodeResources: { Disk: { DiskMB: '@x@' } } },
        '1e3',
        'NodeDiskResources.NodeResources.Disk.DiskMB',
        'int64',
      ],
      [
        { NodeResources: { Cpu: { TotalCpuCores: '@x@' } } },
        '65536',
        'LegacyNodeCpuResources.NodeResources.Cpu.TotalCpuCores',
        'uint16',
      ],
      [
        { NodeResources: { Cpu: { ReservableCpuCores: [0, '@x@'] } } },
        '-1',
        'LegacyNodeCpuResources.NodeResources.Cpu.ReservableCpuCores',
        'uint16',
      ],
      [
        { NodeResources: { MinDynamicPort: '@x@' } },
        '2.0',
        'NodeResources.NodeResources.MinDynamicPort',
        'int',
      ],
      [
        { NodeResources: { Networks: [{ ReservedPorts: [{ Value: '@x@' }] }] } },
        '80.5',
        'Port.NodeResources.Networks.ReservedPorts.Value',
        'int',
      ],
      [
        { ReservedResources: { Memory: { MemoryMB: '@x@' } } },
        '-9223372036854775809',
        'NodeReservedMemoryResources.ReservedResources.Memory.MemoryMB',
        'int64',
      ],
      [{ CreateIndex: '@x@' }, '-1', 'Node.CreateIndex', 'uint64'],
      [{ Events: [{ CreateIndex: '@x@' }] }, '1e2', 'NodeEvent.Events.CreateIndex', 'uint64'],
    ];
    for (const [over, literal, field, type] of cases) {
      expect(refusal(sent(over, literal))).toBe(decodeError(literal, field, type));
    }
  });

  test('in Nomad’s {"Node": ...} the path starts at Node; the largest int64 is taken', () => {
    const wrapped = parseJson(
      JSON.stringify({ Node: { ...node, NodeResources: { Memory: { MemoryMB: '@x@' } } } }).replace(
        '"@x@"',
        '9223372036854775808',
      ),
    );
    expect(refusal(wrapped)).toBe(
      decodeError(
        '9223372036854775808',
        'NodeMemoryResources.Node.NodeResources.Memory.MemoryMB',
        'int64',
      ),
    );
    const largest = r.register.body.parse(
      sent({ NodeResources: { Memory: { MemoryMB: '@x@' } } }, '9223372036854775807'),
    );
    expect(largest.NodeResources?.Memory.MemoryMB).toBe(2 ** 63);
  });

  test('in memory (no literal), a fraction or an out-of-range value is refused all the same', () => {
    expect(refusal({ ...node, NodeResources: { Cpu: { CpuShares: 0.5 } } })).toBe(
      decodeError('0.5', 'LegacyNodeCpuResources.NodeResources.Cpu.CpuShares', 'int64'),
    );
    expect(refusal({ ...node, NodeResources: { Cpu: { TotalCpuCores: -3 } } })).toBe(
      decodeError('-3', 'LegacyNodeCpuResources.NodeResources.Cpu.TotalCpuCores', 'uint16'),
    );
    expect(refusal({ ...node, NodeResources: { Disk: { DiskMB: 2 ** 64 } } })).toBe(
      decodeError('18446744073709551616', 'NodeDiskResources.NodeResources.Disk.DiskMB', 'int64'),
    );
  });

  test('ordinary values parse unchanged', () => {
    const resources = {
      Cpu: { CpuShares: 4000, TotalCpuCores: 4, ReservableCpuCores: [0, 1, 2, 3] },
      Memory: { MemoryMB: 8192 },
      Disk: { DiskMB: 102400 },
      MinDynamicPort: 20000,
      MaxDynamicPort: 32000,
    };
    expect(r.register.body.parse({ ...node, NodeResources: resources }).NodeResources).toEqual({
      ...resources,
      Processors: { Topology: null },
      Devices: null,
      NodeNetworks: null,
      Networks: null,
    });
  });
});

test('register and heartbeat answers: TTL in nanoseconds and the indexes, zero values by default', () => {
  expect(r.register.responses[200].parse({ HeartbeatTTL: 10e9, Index: 12 })).toEqual({
    HeartbeatTTL: 10e9,
    EvalIDs: null,
    EvalCreateIndex: 0,
    NodeModifyIndex: 0,
    Index: 12,
  });
});

test('heartbeat body: optional status, an empty body allowed, other keys ignored', () => {
  expect(r.heartbeat.body.parse(undefined)).toEqual({ Status: '' });
  expect(r.heartbeat.body.parse({ NodeID: node.ID, Status: 'ready' })).toEqual({ Status: 'ready' });
  expect(issue(r.heartbeat.body.safeParse({ Status: 1 }))).toBe(
    'Failed to decode body: Status: Expected string, received number',
  );
});

describe('allocation updates', () => {
  const update = { ID: 'a1', ClientStatus: 'running', TaskStates: { web: { State: 'running' } } };

  test('`Allocs` and Nomad’s `Alloc` both parse to `Allocs`; absent fields keep the stored values', () => {
    const parsed = r.updateAllocations.body.parse({ Allocs: [update] });
    expect(r.updateAllocations.body.parse({ Alloc: [update] })).toEqual(parsed);
    expect(parsed.Allocs[0]).toMatchObject({ ID: 'a1', NodeID: '', ClientStatus: 'running' });
    expect(parsed.Allocs[0]!.TaskStates?.web).toMatchObject({ State: 'running', Restarts: 0 });
    expect('ClientDescription' in parsed.Allocs[0]!).toBe(false);
  });

  test('task states and events are checked as Go types: uint64 restarts, int64 times, durations', () => {
    const sent = (state: Record<string, unknown>, literal: string) =>
      parseJson(
        JSON.stringify({ Allocs: [{ ...update, TaskStates: { web: state } }] }).replace(
          '"@x@"',
          literal,
        ),
      );
    const cases: [Record<string, unknown>, string, string, string][] = [
      [
        { State: 'running', Restarts: '@x@' },
        '-1',
        'TaskState.Allocs.TaskStates.Restarts',
        'uint64',
      ],
      [
        { State: 'dead', Events: [{ Type: 'Terminated', ExitCode: '@x@' }] },
        '1.5',
        'TaskEvent.Allocs.TaskStates.Events.ExitCode',
        'int',
      ],
      [
        { State: 'dead', Events: [{ Type: 'Killing', KillTimeout: '@x@' }] },
        '5e9',
        'TaskEvent.Allocs.TaskStates.Events.KillTimeout',
        'time.Duration',
      ],
      [
        { State: 'running', Events: [{ Type: 'Started', Time: '@x@' }] },
        '9223372036854775808',
        'TaskEvent.Allocs.TaskStates.Events.Time',
        'int64',
      ],
    ];
    for (const [state, literal, field, type] of cases) {
      expect(issue(r.updateAllocations.body.safeParse(sent(state, literal)))).toBe(
        `Failed to decode body: json: cannot unmarshal number ${literal} into Go struct field ${field} of type ${type}`,
      );
    }
    // A nanosecond timestamp has 19 digits: Go takes it, berth keeps the nearest double.
    const started = r.updateAllocations.body.parse(
      sent({ State: 'running', Events: [{ Type: 'Started', Time: '@x@' }] }, '1796000000000000123'),
    );
    expect(started.Allocs[0]!.TaskStates?.web?.Events?.[0]?.Time).toBe(
      Number('1796000000000000123'),
    );
  });

  test('an empty list, a bad status or a missing ID is a 400', () => {
    expect(issue(r.updateAllocations.body.safeParse({ Allocs: [] }))).toBe(
      'Failed to decode body: Allocs: must update at least one allocation',
    );
    expect(
      issue(r.updateAllocations.body.safeParse({ Allocs: [{ ...update, ClientStatus: 'fine' }] })),
    ).toMatch(/^Failed to decode body: Allocs\.0\.ClientStatus: Invalid enum value/);
    expect(
      issue(r.updateAllocations.body.safeParse({ Allocs: [{ ClientStatus: 'running' }] })),
    ).toBe('Failed to decode body: Allocs.0.ID: Required');
  });
});

test('answers: indexes are uint64 and the TTL a duration, all integers', () => {
  const answer = r.register.responses[200];
  for (const bad of [{ Index: -1 }, { NodeModifyIndex: 1.5 }, { HeartbeatTTL: 0.5 }]) {
    expect(answer.safeParse(bad).success).toBe(false);
  }
  expect(r.updateAllocations.responses[200].safeParse({ Index: -1 }).success).toBe(false);
  expect(answer.parse({ HeartbeatTTL: 2 ** 62, Index: 2 ** 53 })).toMatchObject({
    HeartbeatTTL: 2 ** 62,
    Index: 2 ** 53,
  });
});

test('the allocations long-poll takes `wait` and `index` with Nomad’s texts', () => {
  expect(r.allocations.query.parse({ index: '7', wait: '30s' })).toEqual({
    index: 7,
    wait: 30_000,
  });
  expect(r.allocations.query.parse({})).toEqual({ index: 0, wait: 0 });
  expect(issue(r.allocations.query.safeParse({ wait: 'soon' }))).toBe(ErrorText.InvalidWaitTime);
  expect(issue(r.allocations.query.safeParse({ index: '-1' }))).toBe(ErrorText.InvalidIndex);
});
