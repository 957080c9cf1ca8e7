// Nomad's api.JobRegisterRequest (api/jobs.go): the body of `PUT /v1/jobs` and `POST /v1/job/:id`.
// The job in it is partial, as users write jobs: the server fills Nomad's defaults and validates
// it, reporting every problem at once. Here only the JSON kinds are checked, with the texts of
// Go's decoder (`json: cannot unmarshal ...`), which Nomad answers with a 400 as they are.
import { z } from 'zod';
import { goBodySchema } from './go-body.js';
import { goJsonDecoder, type GoStruct, type GoStructs } from '../go/json-decode.js';
import {
  AffinitySchema,
  ConstraintSchema,
  SpreadSchema,
  SpreadTargetSchema,
} from './constraint.js';
import {
  JobSchema,
  JobUIConfigSchema,
  JobVersionTagSchema,
  MultiregionRegionSchema,
  MultiregionSchema,
  MultiregionStrategySchema,
  ParameterizedJobConfigSchema,
  PeriodicConfigSchema,
  type Job,
} from './job.js';
import {
  DNSConfigSchema,
  NetworkResourceSchema,
  NUMASchema,
  PortSchema,
  RequestedDeviceSchema,
  ResourcesSchema,
  TaskLifecycleSchema,
} from './resources.js';
import { ServiceCheckSchema, ServiceSchema } from './service.js';
import {
  EphemeralDiskSchema,
  MigrateStrategySchema,
  ReschedulePolicySchema,
  RestartPolicySchema,
  UpdateStrategySchema,
} from './task-group-policies.js';
import { DisconnectStrategySchema, TaskGroupSchema } from './task-group.js';
import {
  ActionSchema,
  ConsulSchema,
  DispatchPayloadConfigSchema,
  LogConfigSchema,
  ScalingPolicySchema,
  SecretSchema,
  TaskArtifactSchema,
  TaskCSIPluginConfigSchema,
  TaskScheduleSchema,
  TaskSchema,
  TemplateSchema,
  VaultSchema,
  VolumeMountSchema,
  WorkloadIdentitySchema,
} from './task.js';
import { goBoolField, goInt, goPtr, goString } from './wire.js';

/** `T` without `null` and `undefined`; `unknown` (free-form values such as driver config) stays. */
type Defined<T> = unknown extends T ? T : NonNullable<T>;

/**
 * `T` with every field optional at every depth and no `null`: what a decoded partial body holds
 * (Go leaves a field that is absent or `null` at its zero value; here it is simply absent).
 */
export type GoPartial<T> = T extends readonly (infer E)[]
  ? GoPartial<E>[]
  : T extends object
    ? { [K in keyof T]?: GoPartial<Defined<T[K]>> }
    : T;

/** `T` with every field optional at every depth, `null` allowed: what a caller may send. */
export type GoPartialInput<T> = T extends readonly (infer E)[]
  ? GoPartialInput<E>[]
  : T extends object
    ? { [K in keyof T]?: GoPartialInput<Defined<T[K]>> | null }
    : T;

/**
 * A job as submitted: any subset of a {@link Job}'s fields, at any depth (a group without `Count`,
 * a task without `Resources`...). Keys are Nomad's (matched case-insensitively on the way in);
 * unknown keys are kept as sent.
 */
export type JobSubmission = GoPartial<Job>;

/** A job as a caller may submit it: a complete {@link Job} (e.g. one read back) or any part of it. */
export type JobSubmissionInput = GoPartialInput<Job>;

const SECONDS = 'time.Duration';

// The Go types of Nomad's api package, for the decoder's error texts.
const API_STRUCTS = new Map<z.ZodTypeAny, GoStruct>([
  [
    JobSchema,
    {
      name: 'Job',
      type: 'api.Job',
      types: {
        Version: '*uint64',
        SubmitTime: '*int64',
        CreateIndex: '*uint64',
        ModifyIndex: '*uint64',
        JobModifyIndex: '*uint64',
        Payload: '[]uint8',
      },
    },
  ],
  [
    TaskGroupSchema,
    {
      name: 'TaskGroup',
      type: 'api.TaskGroup',
      types: {
        ShutdownDelay: `*${SECONDS}`,
        MaxRunDuration: `*${SECONDS}`,
        StopAfterClientDisconnect: `*${SECONDS}`,
        MaxClientDisconnect: `*${SECONDS}`,
        Volumes: 'map[string]*api.VolumeRequest',
      },
    },
  ],
  [
    TaskSchema,
    {
      name: 'Task',
      type: 'api.Task',
      types: { KillTimeout: `*${SECONDS}`, ShutdownDelay: SECONDS },
    },
  ],
  [ConstraintSchema, { name: 'Constraint', type: 'api.Constraint' }],
  [AffinitySchema, { name: 'Affinity', type: 'api.Affinity', types: { Weight: '*int8' } }],
  [SpreadSchema, { name: 'Spread', type: 'api.Spread', types: { Weight: '*int8' } }],
  [
    SpreadTargetSchema,
    { name: 'SpreadTarget', type: 'api.SpreadTarget', types: { Percent: 'uint8' } },
  ],
  [
    UpdateStrategySchema,
    {
      name: 'UpdateStrategy',
      type: 'api.UpdateStrategy',
      types: {
        Stagger: `*${SECONDS}`,
        MinHealthyTime: `*${SECONDS}`,
        HealthyDeadline: `*${SECONDS}`,
        ProgressDeadline: `*${SECONDS}`,
      },
    },
  ],
  [
    MigrateStrategySchema,
    {
      name: 'MigrateStrategy',
      type: 'api.MigrateStrategy',
      types: { MinHealthyTime: `*${SECONDS}`, HealthyDeadline: `*${SECONDS}` },
    },
  ],
  [
    ReschedulePolicySchema,
    {
      name: 'ReschedulePolicy',
      type: 'api.ReschedulePolicy',
      types: { Interval: `*${SECONDS}`, Delay: `*${SECONDS}`, MaxDelay: `*${SECONDS}` },
    },
  ],
  [
    RestartPolicySchema,
    {
      name: 'RestartPolicy',
      type: 'api.RestartPolicy',
      types: { Interval: `*${SECONDS}`, Delay: `*${SECONDS}` },
    },
  ],
  [EphemeralDiskSchema, { name: 'EphemeralDisk', type: 'api.EphemeralDisk' }],
  [PeriodicConfigSchema, { name: 'PeriodicConfig', type: 'api.PeriodicConfig' }],
  [
    ParameterizedJobConfigSchema,
    { name: 'ParameterizedJobConfig', type: 'api.ParameterizedJobConfig' },
  ],
  [
    NetworkResourceSchema,
    {
      name: 'NetworkResource',
      type: 'api.NetworkResource',
      types: { ReservedPorts: '[]api.Port', DynamicPorts: '[]api.Port' },
    },
  ],
  [PortSchema, { name: 'Port', type: 'api.Port' }],
  [DNSConfigSchema, { name: 'DNSConfig', type: 'api.DNSConfig' }],
  [
    ServiceSchema,
    { name: 'Service', type: 'api.Service', types: { Checks: '[]api.ServiceCheck' } },
  ],
  [
    ServiceCheckSchema,
    {
      name: 'ServiceCheck',
      type: 'api.ServiceCheck',
      types: { Interval: SECONDS, Timeout: SECONDS },
    },
  ],
  [ResourcesSchema, { name: 'Resources', type: 'api.Resources' }],
  [
    RequestedDeviceSchema,
    { name: 'RequestedDevice', type: 'api.RequestedDevice', types: { Count: '*uint64' } },
  ],
  [LogConfigSchema, { name: 'LogConfig', type: 'api.LogConfig' }],
  [TaskArtifactSchema, { name: 'TaskArtifact', type: 'api.TaskArtifact' }],
  [TemplateSchema, { name: 'Template', type: 'api.Template', types: { Splay: `*${SECONDS}` } }],
  [VaultSchema, { name: 'Vault', type: 'api.Vault' }],
  [
    DispatchPayloadConfigSchema,
    { name: 'DispatchPayloadConfig', type: 'api.DispatchPayloadConfig' },
  ],
  [TaskLifecycleSchema, { name: 'TaskLifecycle', type: 'api.TaskLifecycle' }],
  [MultiregionSchema, { name: 'Multiregion', type: 'api.Multiregion' }],
  [
    MultiregionStrategySchema,
    {
      name: 'MultiregionStrategy',
      type: 'api.MultiregionStrategy',
      types: { MaxParallel: '*int' },
    },
  ],
  [
    MultiregionRegionSchema,
    { name: 'MultiregionRegion', type: 'api.MultiregionRegion', types: { Count: '*int' } },
  ],
  [JobUIConfigSchema, { name: 'JobUIConfig', type: 'api.JobUIConfig' }],
  [JobVersionTagSchema, { name: 'JobVersionTag', type: 'api.JobVersionTag' }],
  [DisconnectStrategySchema, { name: 'DisconnectStrategy', type: 'api.DisconnectStrategy' }],
  [ScalingPolicySchema, { name: 'ScalingPolicy', type: 'api.ScalingPolicy' }],
  [ConsulSchema, { name: 'Consul', type: 'api.Consul' }],
  [VolumeMountSchema, { name: 'VolumeMount', type: 'api.VolumeMount' }],
  [SecretSchema, { name: 'Secret', type: 'api.Secret' }],
  [WorkloadIdentitySchema, { name: 'WorkloadIdentity', type: 'api.WorkloadIdentity' }],
  [ActionSchema, { name: 'Action', type: 'api.Action' }],
  [TaskScheduleSchema, { name: 'TaskSchedule', type: 'api.TaskSchedule' }],
  [TaskCSIPluginConfigSchema, { name: 'TaskCSIPluginConfig', type: 'api.TaskCSIPluginConfig' }],
  [NUMASchema, { name: 'NUMAResource', type: 'api.NUMAResource' }],
]);

/** The Go types of the api.Job tree, for decoders of other bodies that carry a job (plan). */
export const JOB_API_STRUCTS: GoStructs = new Map(API_STRUCTS);

const JobRegisterRequestShape = {
  Job: goPtr(JobSchema),
  EnforceIndex: goBoolField(),
  JobModifyIndex: goInt(),
  PolicyOverride: goBoolField(),
  PreserveCounts: goBoolField(),
  EvalPriority: goInt(),
  Region: goString(),
  Namespace: goString(),
  SecretID: goString(),
};

/** The zod type of the request's field list (named, so declaration files stay small). */
interface JobRegisterRequestFieldsType extends z.ZodObject<typeof JobRegisterRequestShape> {}

// Describes the request to the decoder only; the output is built below.
const JobRegisterRequestFields: JobRegisterRequestFieldsType = z.object(JobRegisterRequestShape);

API_STRUCTS.set(JobRegisterRequestFields, {
  name: 'JobRegisterRequest',
  type: 'api.JobRegisterRequest',
  types: { JobModifyIndex: 'uint64', Job: '*api.Job' },
  paths: {
    Region: 'WriteRequest.Region',
    Namespace: 'WriteRequest.Namespace',
    SecretID: 'WriteRequest.SecretID',
  },
});

/**
 * A decoded register request. Every field but `Job` has Go's zero value when absent; `Job` is
 * `null` when absent (Nomad answers `Job must be specified`), else the job as submitted.
 */
export type JobRegisterRequest = Omit<z.output<JobRegisterRequestFieldsType>, 'Job'> & {
  /** The job, as submitted (partial); `null` when the body has none. */
  Job: JobSubmission | null;
};

/** A register request as a caller may send it. */
export type JobRegisterRequestInput = Omit<z.input<JobRegisterRequestFieldsType>, 'Job'> & {
  /** The job to register. */
  Job?: JobSubmissionInput | null;
};

const decodeRegisterRequest = goJsonDecoder(JobRegisterRequestFields, API_STRUCTS);

const ZERO_REQUEST: JobRegisterRequest = {
  Job: null,
  EnforceIndex: false,
  JobModifyIndex: 0,
  PolicyOverride: false,
  PreserveCounts: false,
  EvalPriority: 0,
  Region: '',
  Namespace: '',
  SecretID: '',
};

/**
 * The body of job register and update (Nomad's api.JobRegisterRequest): `Job`, `EnforceIndex`,
 * `JobModifyIndex`, `PolicyOverride`, `PreserveCounts`, `EvalPriority`, and the embedded write
 * options `Region`, `Namespace`, `SecretID`. Decoded as Go's encoding/json does: keys match
 * case-insensitively, `null` is "not given", unknown keys of the job, its groups and tasks are
 * kept. A missing job ID or no task groups is NOT an error here (the server validates the whole
 * job and lists every problem); a value of the wrong JSON kind is, with Go's text, e.g.
 * `json: cannot unmarshal string into Go struct field TaskGroup.Job.TaskGroups.Count of type int`.
 * An absent body fails with `Request body is empty`.
 */
export const JobRegisterRequestSchema = goBodySchema<JobRegisterRequest, JobRegisterRequestInput>(
  (body) => {
    const decoded = decodeRegisterRequest(body);
    return decoded.ok ? { ok: true, value: { ...ZERO_REQUEST, ...decoded.value } } : decoded;
  },
);
