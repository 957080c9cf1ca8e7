// Job and node list stubs parse Nomad's real JSON (as `nomad job status` and `nomad node status`
// receive it) and the shorter bodies a server may send.
import { expect, test } from 'vitest';
import { JobListSchema } from './job-list-stub.js';
import { NodeListSchema } from './node-list-stub.js';
import { NodeSchema } from './node.js';

const nomadJobStub = {
  ID: 'example',
  ParentID: '',
  Name: 'example',
  Namespace: 'default',
  Datacenters: ['*'],
  NodePool: 'default',
  Multiregion: null,
  Type: 'service',
  Priority: 50,
  Periodic: false,
  ParameterizedJob: false,
  Stop: false,
  Status: 'running',
  StatusDescription: '',
  JobSummary: {
    JobID: 'example',
    Namespace: 'default',
    Summary: {
      cache: { Queued: 0, Complete: 0, Failed: 0, Running: 1, Starting: 0, Lost: 0, Unknown: 0 },
    },
    Children: { Pending: 0, Running: 0, Dead: 0 },
    CreateIndex: 11,
    ModifyIndex: 14,
  },
  CreateIndex: 11,
  ModifyIndex: 14,
  JobModifyIndex: 11,
  SubmitTime: 1_700_000_000_000_000_000,
};

test('a job stub from Nomad parses unchanged, Meta absent is null', () => {
  const [stub] = JobListSchema.parse([nomadJobStub]);
  expect(stub).toEqual({ ...nomadJobStub, Meta: null });
  const [withMeta] = JobListSchema.parse([
    { ...nomadJobStub, Meta: { owner: 'team' }, JobSummary: null },
  ]);
  expect(withMeta).toMatchObject({ Meta: { owner: 'team' }, JobSummary: null });
});

test('a minimal job stub gets zero values', () => {
  expect(JobListSchema.parse([{ ID: 'x' }])[0]).toMatchObject({
    Type: '',
    Priority: 0,
    Datacenters: null,
    JobSummary: null,
  });
});

const nomadNodeStub = {
  Address: '10.0.0.5',
  ID: 'f7476465-4d6e-c0de-26d0-e383c49be941',
  Attributes: { 'os.name': 'ubuntu', 'os.version': '22.04' },
  Datacenter: 'dc1',
  Name: 'client-1',
  NodePool: 'default',
  NodeClass: '',
  Version: '1.8.0',
  Drain: false,
  SchedulingEligibility: 'eligible',
  Status: 'ready',
  StatusDescription: '',
  Drivers: {
    raw_exec: {
      Attributes: { 'driver.raw_exec': 'true' },
      Detected: true,
      Healthy: true,
      HealthDescription: 'Healthy',
      UpdateTime: '2024-01-01T00:00:00Z',
    },
  },
  HostVolumes: { data: { Name: 'data', Path: '/srv/data', ReadOnly: false } },
  LastDrain: null,
  CreateIndex: 7,
  ModifyIndex: 9,
};

test('a node stub from Nomad parses; resources only when sent', () => {
  const [stub] = NodeListSchema.parse([nomadNodeStub]);
  expect(stub).toMatchObject({
    Address: '10.0.0.5',
    Version: '1.8.0',
    NodeResources: null,
    ReservedResources: null,
  });
  expect(stub?.HostVolumes?.['data']).toEqual({
    Name: 'data',
    Path: '/srv/data',
    ReadOnly: false,
    ID: '',
  });
  const [withResources] = NodeListSchema.parse([
    {
      ...nomadNodeStub,
      Attributes: undefined,
      NodeResources: { Cpu: { CpuShares: 4000 }, Memory: { MemoryMB: 8192 } },
    },
  ]);
  expect(withResources?.Attributes).toBeNull();
  expect(withResources?.NodeResources?.Memory.MemoryMB).toBe(8192);
});

test('a node carries its last drain and host volumes', () => {
  const node = NodeSchema.parse({
    ID: 'n',
    Status: 'ready',
    LastDrain: {
      Status: 'complete',
      StartedAt: '2024-01-01T00:00:00Z',
      UpdatedAt: '2024-01-01T00:05:00Z',
      AccessorID: 'a',
    },
  });
  expect(node.LastDrain).toEqual({
    Status: 'complete',
    StartedAt: '2024-01-01T00:00:00Z',
    UpdatedAt: '2024-01-01T00:05:00Z',
    AccessorID: 'a',
    Meta: null,
  });
  expect(node.HostVolumes).toBeNull();
});
