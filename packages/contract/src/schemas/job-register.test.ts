import { expect, test } from 'vitest';
import { JobSchema } from './job.js';
import { parseJson } from '../go/json-text.js';
import { JobRegisterRequestSchema } from './job-register.js';

const firstError = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.success ? undefined : r.error?.issues[0]?.message;

const decodeError = (body: unknown) => firstError(JobRegisterRequestSchema.safeParse(body));

test("a partial job passes: no ID, no task groups, no count are the server's to report", () => {
  const parsed = JobRegisterRequestSchema.parse({
    Job: { Name: 'web', TaskGroups: [{ Tasks: [{ Driver: 'raw_exec' }] }] },
  });
  expect(parsed).toEqual({
    Job: { Name: 'web', TaskGroups: [{ Tasks: [{ Driver: 'raw_exec' }] }] },
    EnforceIndex: false,
    JobModifyIndex: 0,
    PolicyOverride: false,
    PreserveCounts: false,
    EvalPriority: 0,
    Region: '',
    Namespace: '',
    SecretID: '',
  });
  expect(JobRegisterRequestSchema.parse({ Job: {} }).Job).toEqual({});
  expect(JobRegisterRequestSchema.parse({ Job: { TaskGroups: [] } }).Job).toEqual({
    TaskGroups: [],
  });
});

test('no Job, or a null body, decodes to Job: null (the server answers "Job must be specified")', () => {
  expect(JobRegisterRequestSchema.parse({}).Job).toBeNull();
  expect(JobRegisterRequestSchema.parse(null).Job).toBeNull();
  expect(JobRegisterRequestSchema.parse({ Job: null }).Job).toBeNull();
});

test('an absent body is Nomad\'s "Request body is empty"', () => {
  expect(decodeError(undefined)).toBe('Request body is empty');
});

test('keys match case-insensitively; null means not given; unknown job keys are kept', () => {
  const parsed = JobRegisterRequestSchema.parse({
    job: {
      id: 'web',
      priority: null,
      Multiregion: null,
      Consul: { Namespace: 'x' },
      taskgroups: [{ name: 'g', count: 2 }],
    },
    enforceIndex: true,
    jobmodifyindex: 7,
    Unknown: 1,
  });
  expect(parsed.Job).toEqual({
    ID: 'web',
    Consul: { Namespace: 'x' },
    TaskGroups: [{ Name: 'g', Count: 2 }],
  });
  expect(parsed).toMatchObject({ EnforceIndex: true, JobModifyIndex: 7 });
  expect(parsed).not.toHaveProperty('Unknown');
});

test('a complete job read back from the API registers unchanged', () => {
  const job = JobSchema.parse({
    ID: 'web',
    Datacenters: ['dc1'],
    TaskGroups: [
      {
        Name: 'web',
        Count: 3,
        Tasks: [
          {
            Name: 'server',
            Driver: 'raw_exec',
            Config: { command: '/bin/sleep', args: ['60'] },
            Resources: { CPU: 100, MemoryMB: 64 },
          },
        ],
        ReschedulePolicy: {
          Attempts: 2,
          Interval: 3_600_000_000_000,
          Delay: 5_000_000_000,
          DelayFunction: 'exponential',
          MaxDelay: 60_000_000_000,
          Unlimited: false,
        },
      },
    ],
  });
  const parsed = JobRegisterRequestSchema.parse(JSON.parse(JSON.stringify({ Job: job })));
  // Nulls were dropped (not given); everything else is as sent, and parses back to the same job.
  expect(JobSchema.parse(parsed.Job)).toEqual(job);
});

test.each([
  [
    { Job: 'x' },
    'json: cannot unmarshal string into Go struct field JobRegisterRequest.Job of type api.Job',
  ],
  [
    { Job: { ID: 5 } },
    'json: cannot unmarshal number into Go struct field Job.Job.ID of type string',
  ],
  [
    { Job: { Priority: '50' } },
    'json: cannot unmarshal string into Go struct field Job.Job.Priority of type int',
  ],
  [
    { Job: { Priority: 1.5 } },
    'json: cannot unmarshal number 1.5 into Go struct field Job.Job.Priority of type int',
  ],
  [
    { Job: { Datacenters: 'dc1' } },
    'json: cannot unmarshal string into Go struct field Job.Job.Datacenters of type []string',
  ],
  [
    { Job: { Datacenters: [1] } },
    'json: cannot unmarshal number into Go struct field Job.Job.Datacenters of type string',
  ],
  [
    { Job: { Meta: { a: 1 } } },
    'json: cannot unmarshal number into Go struct field Job.Job.Meta of type string',
  ],
  [
    { Job: { TaskGroups: {} } },
    'json: cannot unmarshal object into Go struct field Job.Job.TaskGroups of type []*api.TaskGroup',
  ],
  [
    { Job: { TaskGroups: ['web'] } },
    'json: cannot unmarshal string into Go struct field Job.Job.TaskGroups of type api.TaskGroup',
  ],
  [
    { Job: { TaskGroups: [{ Count: '3' }] } },
    'json: cannot unmarshal string into Go struct field TaskGroup.Job.TaskGroups.Count of type int',
  ],
  [
    { Job: { TaskGroups: [{ Tasks: [{ Resources: { CPU: 'lots' } }] }] } },
    'json: cannot unmarshal string into Go struct field Resources.Job.TaskGroups.Tasks.Resources.CPU of type int',
  ],
  [
    { Job: { TaskGroups: [{ Tasks: [{ KillTimeout: '5s' }] }] } },
    'json: cannot unmarshal string into Go struct field Task.Job.TaskGroups.Tasks.KillTimeout of type time.Duration',
  ],
  [
    { Job: { TaskGroups: [{ ReschedulePolicy: { Unlimited: 'yes' } }] } },
    'json: cannot unmarshal string into Go struct field ReschedulePolicy.Job.TaskGroups.ReschedulePolicy.Unlimited of type bool',
  ],
  [
    { Job: { TaskGroups: [{ Networks: [{ ReservedPorts: [{ Value: 'http' }] }] }] } },
    'json: cannot unmarshal string into Go struct field Port.Job.TaskGroups.Networks.ReservedPorts.Value of type int',
  ],
  [
    { Job: { Affinities: [{ Weight: 200 }] } },
    'json: cannot unmarshal number 200 into Go struct field Affinity.Job.Affinities.Weight of type int8',
  ],
  [
    { Job: { Version: -1 } },
    'json: cannot unmarshal number -1 into Go struct field Job.Job.Version of type uint64',
  ],
  [
    { EnforceIndex: 'true' },
    'json: cannot unmarshal string into Go struct field JobRegisterRequest.EnforceIndex of type bool',
  ],
  [
    { Region: 1 },
    'json: cannot unmarshal number into Go struct field JobRegisterRequest.WriteRequest.Region of type string',
  ],
  [[{ Job: {} }], 'json: cannot unmarshal array into Go value of type api.JobRegisterRequest'],
  ['job', 'json: cannot unmarshal string into Go value of type api.JobRegisterRequest'],
])("wrong kinds fail with Go's text: %j", (body, message) => {
  expect(decodeError(body)).toBe(message);
});

test('the first error in document order wins, as Go reports it', () => {
  expect(decodeError({ Job: { Name: 1, ID: 2 } })).toBe(
    'json: cannot unmarshal number into Go struct field Job.Job.Name of type string',
  );
});

test('driver config is free-form; null slice elements become zero values', () => {
  const parsed = JobRegisterRequestSchema.parse({
    Job: {
      Datacenters: [null, 'dc1'],
      TaskGroups: [{ Tasks: [{ Config: { args: [1, null], nested: { a: true } } }] }],
    },
  });
  expect(parsed.Job?.Datacenters).toEqual(['', 'dc1']);
  expect(parsed.Job?.TaskGroups?.[0]?.Tasks?.[0]?.Config).toEqual({
    args: [1, null],
    nested: { a: true },
  });
});

const decodeTextError = (text: string) =>
  firstError(JobRegisterRequestSchema.safeParse(parseJson(text)));

test.each([
  [
    '{"Job":{"TaskGroups":[{"Count":9223372036854775808}]}}',
    'json: cannot unmarshal number 9223372036854775808 into Go struct field TaskGroup.Job.TaskGroups.Count of type int',
  ],
  [
    '{"Job":{"TaskGroups":[{"Count":1.5}]}}',
    'json: cannot unmarshal number 1.5 into Go struct field TaskGroup.Job.TaskGroups.Count of type int',
  ],
  [
    '{"Job":{"TaskGroups":[{"Count":1e3}]}}',
    'json: cannot unmarshal number 1e3 into Go struct field TaskGroup.Job.TaskGroups.Count of type int',
  ],
  [
    '{"Job":{"Spreads":[{"SpreadTarget":[{"Percent":256}]}]}}',
    'json: cannot unmarshal number 256 into Go struct field SpreadTarget.Job.Spreads.SpreadTarget.Percent of type uint8',
  ],
  [
    '{"Job":{"TaskGroups":[{"Tasks":[{"Resources":{"Devices":[{"Count":-1}]}}]}]}}',
    'json: cannot unmarshal number -1 into Go struct field RequestedDevice.Job.TaskGroups.Tasks.Resources.Devices.Count of type uint64',
  ],
  [
    '{"Job":{"TaskGroups":[{"RestartPolicy":{"Delay":9223372036854775808}}]}}',
    'json: cannot unmarshal number 9223372036854775808 into Go struct field RestartPolicy.Job.TaskGroups.RestartPolicy.Delay of type time.Duration',
  ],
  [
    '{"JobModifyIndex":18446744073709551616}',
    'json: cannot unmarshal number 18446744073709551616 into Go struct field JobRegisterRequest.JobModifyIndex of type uint64',
  ],
])('numbers sent as text are checked against their Go type: %s', (text, message) => {
  expect(decodeTextError(text)).toBe(message);
});

test('the largest numbers Go takes are taken (as the nearest double)', () => {
  const parsed = JobRegisterRequestSchema.parse(
    parseJson(
      '{"JobModifyIndex":18446744073709551615,"Job":{"Priority":-9223372036854775808,"TaskGroups":[{"Count":9223372036854775807}]}}',
    ),
  );
  expect(parsed.JobModifyIndex).toBe(2 ** 64);
  expect(parsed.Job?.Priority).toBe(-(2 ** 63));
  expect(parsed.Job?.TaskGroups?.[0]?.Count).toBe(2 ** 63);
});

test("the fields Nomad always sends are kept as sent, and a wrong kind gets Go's text", () => {
  const job = {
    ID: 'web',
    ConsulNamespace: 'c',
    VaultNamespace: 'v',
    NomadTokenID: 't',
    UI: { Description: 'd', Links: [{ Label: 'l', Url: 'https://x' }] },
    VersionTag: { Name: 'v1', Description: '' },
    Multiregion: { Strategy: { MaxParallel: 1 }, Regions: [{ Name: 'r', Count: 2 }] },
    TaskGroups: [
      {
        Name: 'g',
        Disconnect: { LostAfter: 5, Replace: true },
        MaxRunDuration: 60_000_000_000,
        Scaling: { Min: 1, Max: 3 },
        Consul: { Namespace: 'x' },
        PreventRescheduleOnLost: true,
        Tasks: [
          {
            Name: 't',
            Consul: { Cluster: 'default' },
            VolumeMounts: [{ Volume: 'data', Destination: '/data' }],
            ScalingPolicies: [{ Type: 'vertical_cpu' }],
            Secrets: [{ Name: 's', Provider: 'nomad' }],
            Identity: { Name: 'default', Env: true },
            Identities: [{ Name: 'vault_default', Audience: ['vault.io'] }],
            Actions: [{ Name: 'hi', Command: 'echo', Args: ['hi'] }],
            Schedule: { Cron: { Start: '0 9 * * *' } },
            Resources: { CPU: 100, SecretsMB: 2, NUMA: { Affinity: 'require' } },
          },
        ],
      },
    ],
  };
  expect(JobRegisterRequestSchema.parse({ Job: job }).Job).toEqual(job);
  const wrongKinds: [unknown, string][] = [
    [
      { NomadTokenID: 1 },
      'json: cannot unmarshal number into Go struct field Job.Job.NomadTokenID of type string',
    ],
    [
      { UI: 'x' },
      'json: cannot unmarshal string into Go struct field Job.Job.UI of type api.JobUIConfig',
    ],
    [
      { Multiregion: { Regions: [{ Count: 'two' }] } },
      'json: cannot unmarshal string into Go struct field MultiregionRegion.Job.Multiregion.Regions.Count of type int',
    ],
    [
      { TaskGroups: [{ MaxRunDuration: '1m' }] },
      'json: cannot unmarshal string into Go struct field TaskGroup.Job.TaskGroups.MaxRunDuration of type time.Duration',
    ],
    [
      { TaskGroups: [{ PreventRescheduleOnLost: 'yes' }] },
      'json: cannot unmarshal string into Go struct field TaskGroup.Job.TaskGroups.PreventRescheduleOnLost of type bool',
    ],
    [
      { TaskGroups: [{ Tasks: [{ Identities: {} }] }] },
      'json: cannot unmarshal object into Go struct field Task.Job.TaskGroups.Tasks.Identities of type []*api.WorkloadIdentity',
    ],
    [
      { TaskGroups: [{ Tasks: [{ Resources: { SecretsMB: '2' } }] }] },
      'json: cannot unmarshal string into Go struct field Resources.Job.TaskGroups.Tasks.Resources.SecretsMB of type int',
    ],
  ];
  for (const [partial, text] of wrongKinds) expect(decodeError({ Job: partial })).toBe(text);
});

test('a read job carries every field Nomad always sends, at its zero value', () => {
  const parsed = JobSchema.parse({
    ID: 'web',
    TaskGroups: [{ Name: 'g', Tasks: [{ Name: 't' }] }],
  });
  expect(parsed).toMatchObject({
    Multiregion: null,
    UI: null,
    ConsulNamespace: '',
    VaultNamespace: '',
    NomadTokenID: '',
    VersionTag: null,
  });
  expect(parsed.TaskGroups?.[0]).toMatchObject({
    Disconnect: null,
    MaxRunDuration: null,
    Scaling: null,
    Consul: null,
    PreventRescheduleOnLost: false,
  });
  expect(parsed.TaskGroups?.[0]?.Tasks?.[0]).toMatchObject({
    Consul: null,
    VolumeMounts: null,
    ScalingPolicies: null,
    Secrets: null,
    Identity: null,
    Identities: null,
    Actions: null,
    Schedule: null,
  });
});
