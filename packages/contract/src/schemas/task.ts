// Nomad's Task (nomad/structs/structs.go): one process (or container, ...) of a task group.
import { z } from 'zod';
import { AffinitySchema, ConstraintSchema } from './constraint.js';
import { ResourcesSchema, TaskLifecycleSchema } from './resources.js';
import { ServiceSchema } from './service.js';
import { RestartPolicySchema } from './task-group-policies.js';
import { goBoolField, goInt, goMap, goPtr, goSlice, goString, goStringMap } from './wire.js';

/** How many rotated log files a task keeps, and how large each may grow. */
export const LogConfigSchema = z.object({
  MaxFiles: goInt(),
  MaxFileSizeMB: goInt(),
  Disabled: goBoolField(),
});

/** A log config as sent on the wire. */
export type LogConfig = z.infer<typeof LogConfigSchema>;

/** An artifact downloaded into the task directory before the task starts. */
export const TaskArtifactSchema = z
  .object({
    GetterSource: goString(),
    GetterOptions: goStringMap(),
    GetterHeaders: goStringMap(),
    GetterMode: goString(),
    RelativeDest: goString(),
  })
  .passthrough();

/** A task artifact as sent on the wire. */
export type TaskArtifact = z.infer<typeof TaskArtifactSchema>;

/** A template rendered into the task directory. Unknown keys are kept. */
export const TemplateSchema = z
  .object({
    SourcePath: goString(),
    DestPath: goString(),
    EmbeddedTmpl: goString(),
    ChangeMode: goString(),
    ChangeSignal: goString(),
    Splay: goInt(),
    Perms: goString(),
    LeftDelim: goString(),
    RightDelim: goString(),
    Envvars: goBoolField(),
  })
  .passthrough();

/** A template as sent on the wire. */
export type Template = z.infer<typeof TemplateSchema>;

/** Vault integration of a task. Unknown keys are kept. */
export const VaultSchema = z
  .object({
    Policies: goSlice(z.string()),
    Namespace: goString(),
    Role: goString(),
    Env: goBoolField(),
    ChangeMode: goString(),
    ChangeSignal: goString(),
  })
  .passthrough();

/** A Vault block as sent on the wire. */
export type Vault = z.infer<typeof VaultSchema>;

/** Where a dispatched job's payload is written in the task directory. */
export const DispatchPayloadConfigSchema = z.object({
  File: goString(),
});

/** A dispatch payload config as sent on the wire. */
export type DispatchPayloadConfig = z.infer<typeof DispatchPayloadConfigSchema>;

/**
 * A task: what to run (`Driver` + driver-specific `Config`), as whom, with which environment and
 * resources. `KillTimeout` and `ShutdownDelay` are nanoseconds. Unknown keys are kept, so a job
 * submitted by a newer client round-trips.
 */
export const TaskSchema = z
  .object({
    Name: z.string(),
    Driver: goString(),
    User: goString(),
    Config: goMap(z.unknown()),
    Env: goStringMap(),
    Services: goSlice(ServiceSchema),
    Vault: goPtr(VaultSchema),
    Templates: goSlice(TemplateSchema),
    Constraints: goSlice(ConstraintSchema),
    Affinities: goSlice(AffinitySchema),
    Resources: goPtr(ResourcesSchema),
    RestartPolicy: goPtr(RestartPolicySchema),
    DispatchPayload: goPtr(DispatchPayloadConfigSchema),
    Lifecycle: goPtr(TaskLifecycleSchema),
    Meta: goStringMap(),
    KillTimeout: goInt(),
    LogConfig: goPtr(LogConfigSchema),
    Artifacts: goSlice(TaskArtifactSchema),
    Leader: goBoolField(),
    ShutdownDelay: goInt(),
    KillSignal: goString(),
    Kind: goString(),
  })
  .passthrough();

/** A task as sent on the wire. */
export type Task = z.infer<typeof TaskSchema>;
