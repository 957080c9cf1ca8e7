// Nomad's Task.Validate (the parts berth uses), plus berth's check of the driver name.
import {
  formatGoDuration,
  formatGoInt,
  type Resources,
  type Task,
  type TaskGroup,
} from '@berth/contract';
import { validateAffinity, validateConstraint } from './constraint.js';
import { isKnownDriver, unknownDriver } from './drivers.js';
import { nested } from './errors.js';
import { validateLogConfig } from './policies.js';

export function validateTask(task: Task, jobType: string, tg: TaskGroup): string[] {
  const errors: string[] = [];
  if (task.Name === '') errors.push('Missing task name');
  if (task.Name === 'alloc') errors.push('Task cannot be named "alloc"');
  if (/[/\\]/.test(task.Name)) errors.push('Task name cannot include slashes');
  else if (task.Name.includes('\0')) errors.push('Task name cannot include null characters');

  if (task.Driver === '') errors.push('Missing task driver');
  else if (!isKnownDriver(task.Driver)) errors.push(unknownDriver(task.Driver));

  if (task.KillTimeout < 0) {
    errors.push('KillTimeout must be a positive value');
  } else if (
    jobType === 'service' &&
    tg.Update &&
    tg.Update.ProgressDeadline > 0 &&
    task.KillTimeout > tg.Update.ProgressDeadline
  ) {
    errors.push(
      `KillTimout (${formatGoDuration(task.KillTimeout)}) longer than the group's ProgressDeadline (${formatGoDuration(tg.Update.ProgressDeadline)})`,
    );
  }
  if (task.ShutdownDelay < 0) errors.push('ShutdownDelay must be a positive value');

  if (!task.Resources) errors.push('Missing task resources');
  else errors.push(...nested('', validateResources(task.Resources)));

  if (!task.LogConfig) errors.push('Missing Log Config');
  else errors.push(...nested('', validateLogConfig(task.LogConfig, tg.EphemeralDisk)));

  (task.Constraints ?? []).forEach((c, i) => {
    errors.push(...nested(`Constraint ${i + 1} validation failed: `, validateConstraint(c)));
    if (c.Operand === 'distinct_hosts' || c.Operand === 'distinct_property') {
      errors.push(`Constraint ${i + 1} has disallowed Operand at task level: ${c.Operand}`);
    }
  });
  if (jobType === 'system') {
    if (task.Affinities) errors.push('System jobs may not have an affinity block');
  } else {
    (task.Affinities ?? []).forEach((a, i) => {
      errors.push(...nested(`Affinity ${i + 1} validation failed: `, validateAffinity(a)));
    });
  }
  return errors;
}

/** Nomad's Resources.Validate with MeetsMinResources (minimums: 1 MHz, 10 MB). */
function validateResources(r: Resources): string[] {
  const errors: string[] = [];
  if (r.Cores > 0 && r.CPU > 0) {
    errors.push("Task can only ask for 'cpu' or 'cores' resource, not both.");
  }
  if (r.Cores < 0) errors.push(`cores value (${formatGoInt(r.Cores)}) cannot be negative`);
  const minimums: string[] = [];
  if (r.CPU < 1 && r.Cores === 0)
    minimums.push(`minimum CPU value is 1; got ${formatGoInt(r.CPU)}`);
  if (r.MemoryMB < 10)
    minimums.push(`minimum MemoryMB value is 10; got ${formatGoInt(r.MemoryMB)}`);
  errors.push(...nested('', minimums));
  if (r.DiskMB > 0) {
    errors.push(
      "Task can't ask for disk resources, they have to be specified at the task group level.",
    );
  }
  return errors;
}
