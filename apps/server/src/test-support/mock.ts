// Fixture factories in the manner of Nomad's nomad/mock package: complete, valid objects with
// realistic values, which a test overrides where it cares. Every object goes through its contract
// schema, so it has every field a real one has.
import {
  AllocationSchema,
  EvaluationSchema,
  JobSchema,
  NodeSchema,
  type Allocation,
  type Evaluation,
  type Job,
  type Node,
} from '@berth/contract';
import { randomUUID } from 'node:crypto';

const SECOND = 1_000_000_000;
const MINUTE = 60 * SECOND;

type Overrides<T> = { [K in keyof T]?: T[K] };

/** A service job with one group `web` of 10 instances of a task `web`. */
export function mockJob(overrides: Overrides<Job> = {}): Job {
  return JobSchema.parse({
    Region: 'global',
    ID: `mock-service-${randomUUID()}`,
    Name: 'my-job',
    Namespace: 'default',
    Type: 'service',
    Priority: 50,
    Datacenters: ['dc1'],
    NodePool: 'default',
    Constraints: [{ LTarget: '${attr.kernel.name}', RTarget: 'linux', Operand: '=' }],
    TaskGroups: [
      {
        Name: 'web',
        Count: 10,
        EphemeralDisk: { SizeMB: 150 },
        RestartPolicy: { Attempts: 3, Interval: 10 * MINUTE, Delay: MINUTE, Mode: 'delay' },
        ReschedulePolicy: {
          Attempts: 2,
          Interval: 10 * MINUTE,
          Delay: 5 * SECOND,
          DelayFunction: 'constant',
        },
        Tasks: [
          {
            Name: 'web',
            Driver: 'raw_exec',
            Config: { command: '/bin/date' },
            Env: { FOO: 'bar' },
            Resources: {
              CPU: 500,
              MemoryMB: 256,
              Networks: [{ MBits: 50, DynamicPorts: [{ Label: 'http' }, { Label: 'admin' }] }],
            },
            KillTimeout: 5 * SECOND,
            LogConfig: { MaxFiles: 10, MaxFileSizeMB: 10 },
            Meta: { foo: 'bar' },
          },
        ],
        Meta: { elb_check_type: 'http' },
      },
    ],
    Meta: { owner: 'armon' },
    Status: 'pending',
    Version: 0,
    CreateIndex: 42,
    ModifyIndex: 99,
    JobModifyIndex: 99,
    ...overrides,
  });
}

/** A pending allocation of {@link mockJob}'s `web` group, with allocated resources and ports. */
export function mockAlloc(overrides: Overrides<Allocation> = {}): Allocation {
  const job = overrides.Job ?? mockJob();
  return AllocationSchema.parse({
    ID: randomUUID(),
    EvalID: randomUUID(),
    NodeID: '12345678-abcd-efab-cdef-123456789abc',
    Namespace: job.Namespace,
    TaskGroup: 'web',
    Name: `${job.Name}.web[0]`,
    JobID: job.ID,
    Job: job,
    AllocatedResources: {
      Tasks: {
        web: {
          Cpu: { CpuShares: 500 },
          Memory: { MemoryMB: 256 },
          Networks: [
            {
              Device: 'eth0',
              IP: '192.168.0.100',
              MBits: 50,
              ReservedPorts: [{ Label: 'admin', Value: 5000 }],
              DynamicPorts: [{ Label: 'http', Value: 9876 }],
            },
          ],
        },
      },
      Shared: { DiskMB: 150 },
    },
    DesiredStatus: 'run',
    ClientStatus: 'pending',
    CreateTime: Date.now() * 1_000_000,
    ModifyTime: Date.now() * 1_000_000,
    ...overrides,
  });
}

/** A pending evaluation for a service job. */
export function mockEval(overrides: Overrides<Evaluation> = {}): Evaluation {
  return EvaluationSchema.parse({
    ID: randomUUID(),
    Namespace: 'default',
    Priority: 50,
    Type: 'service',
    JobID: randomUUID(),
    Status: 'pending',
    CreateTime: Date.now() * 1_000_000,
    ModifyTime: Date.now() * 1_000_000,
    ...overrides,
  });
}

/** A ready linux node in dc1 with 4000 MHz of CPU and 8 GiB of memory. */
export function mockNode(overrides: Overrides<Node> = {}): Node {
  return NodeSchema.parse({
    ID: randomUUID(),
    SecretID: randomUUID(),
    Name: 'foobar',
    Datacenter: 'dc1',
    NodePool: 'default',
    Attributes: {
      'kernel.name': 'linux',
      'os.name': 'debian',
      'cpu.numcores': '4',
      'driver.raw_exec': '1',
    },
    NodeResources: {
      Cpu: { CpuShares: 4000 },
      Memory: { MemoryMB: 8192 },
      Disk: { DiskMB: 100 * 1024 },
    },
    Drivers: { raw_exec: { Detected: true, Healthy: true } },
    HTTPAddr: '127.0.0.1:4646',
    Status: 'ready',
    SchedulingEligibility: 'eligible',
    ...overrides,
  });
}

export { SECOND, MINUTE };
