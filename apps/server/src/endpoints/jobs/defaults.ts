// Nomad's default policies (nomad/structs/structs.go and api/tasks.go, kept in sync there):
// restart and reschedule policies by job type, migrate and update strategies, task resources,
// log rotation, ephemeral disk and kill timeout. Durations are nanoseconds.
import type {
  EphemeralDisk,
  LogConfig,
  MigrateStrategy,
  ReschedulePolicy,
  Resources,
  RestartPolicy,
  UpdateStrategy,
} from '@berth/contract';

export const SECOND = 1_000_000_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

/** Nomad's JobDefaultPriority, JobMinPriority and JobDefaultMaxPriority. */
export const JOB_DEFAULT_PRIORITY = 50;
export const JOB_MIN_PRIORITY = 1;
export const JOB_MAX_PRIORITY = 100;

/** Nomad's DefaultKillTimeout. */
export const DEFAULT_KILL_TIMEOUT = 5 * SECOND;

/** The restart policy of a group that names none (service and system; batch and sysbatch). */
export function defaultRestartPolicy(type: string): RestartPolicy {
  return type === 'service' || type === 'system'
    ? {
        Attempts: 2,
        Interval: 30 * MINUTE,
        Delay: 15 * SECOND,
        Mode: 'fail',
        RenderTemplates: false,
      }
    : {
        Attempts: 3,
        Interval: 24 * HOUR,
        Delay: 15 * SECOND,
        Mode: 'fail',
        RenderTemplates: false,
      };
}

/**
 * The reschedule policy a group's given fields are merged onto: service and batch have Nomad's
 * defaults; other types get an all-zero policy (system and sysbatch jobs never reschedule).
 */
export function defaultReschedulePolicy(type: string): ReschedulePolicy {
  switch (type) {
    case 'service':
      return {
        Attempts: 0,
        Interval: 0,
        Delay: 30 * SECOND,
        DelayFunction: 'exponential',
        MaxDelay: HOUR,
        Unlimited: true,
      };
    case 'batch':
      return {
        Attempts: 1,
        Interval: 24 * HOUR,
        Delay: 5 * SECOND,
        DelayFunction: 'constant',
        MaxDelay: 0,
        Unlimited: false,
      };
    default:
      return {
        Attempts: 0,
        Interval: 0,
        Delay: 0,
        DelayFunction: '',
        MaxDelay: 0,
        Unlimited: false,
      };
  }
}

/** The migrate strategy of a service group that names none. */
export function defaultMigrateStrategy(): MigrateStrategy {
  return {
    MaxParallel: 1,
    HealthCheck: 'checks',
    MinHealthyTime: 10 * SECOND,
    HealthyDeadline: 5 * MINUTE,
  };
}

/** What an update block's unset fields become. */
export function defaultUpdateStrategy(): UpdateStrategy {
  return {
    Stagger: 30 * SECOND,
    MaxParallel: 1,
    HealthCheck: 'checks',
    MinHealthyTime: 10 * SECOND,
    HealthyDeadline: 5 * MINUTE,
    ProgressDeadline: 10 * MINUTE,
    AutoRevert: false,
    AutoPromote: false,
    Canary: 0,
  };
}

/** A group's scratch disk when it names none: 300 MB. */
export function defaultEphemeralDisk(): EphemeralDisk {
  return { Sticky: false, SizeMB: 300, Migrate: false };
}

/** A task's log rotation when it names none: 10 files of 10 MB. */
export function defaultLogConfig(): LogConfig {
  return { MaxFiles: 10, MaxFileSizeMB: 10, Disabled: false };
}

/** A task's resources when it names none: 100 MHz and 300 MB. */
export function defaultResources(): Resources {
  return {
    CPU: 100,
    Cores: 0,
    MemoryMB: 300,
    MemoryMaxMB: 0,
    DiskMB: 0,
    IOPS: 0,
    Networks: null,
    Devices: null,
    NUMA: null,
    SecretsMB: 0,
  };
}
