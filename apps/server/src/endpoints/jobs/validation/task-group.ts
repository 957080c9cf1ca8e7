// Nomad's TaskGroup.Validate (the parts berth uses): count, tasks, policies, placement rules.
import type { Job, TaskGroup } from '@berth/contract';
import { validateAffinity, validateConstraint, validateSpread } from './constraint.js';
import { nested } from './errors.js';
import {
  validateEphemeralDisk,
  validateMigrateStrategy,
  validateReschedulePolicy,
  validateRestartPolicy,
  validateUpdateStrategy,
} from './policies.js';
import { validateTask } from './task.js';

export function validateTaskGroup(tg: TaskGroup, job: Job): string[] {
  const errors: string[] = [];
  const type = job.Type;
  if (tg.Name === '') errors.push('Missing task group name');
  else if (tg.Name.includes('\0')) errors.push('Task group name contains null character');
  if (tg.Count < 0) errors.push("Task group count can't be negative");
  if (!tg.Tasks?.length) errors.push('Missing tasks for task group');

  (tg.Constraints ?? []).forEach((c, i) => {
    errors.push(...nested(`Constraint ${i + 1} validation failed: `, validateConstraint(c)));
  });
  if (type === 'system') {
    if (tg.Affinities) errors.push('System jobs may not have an affinity block');
  } else {
    (tg.Affinities ?? []).forEach((a, i) => {
      errors.push(...nested(`Affinity ${i + 1} validation failed: `, validateAffinity(a)));
    });
  }

  if (tg.RestartPolicy) errors.push(...validateRestartPolicy(tg.RestartPolicy));
  else errors.push(`Task Group ${tg.Name} should have a restart policy`);

  if (type === 'system') {
    if (tg.Spreads) errors.push('System jobs may not have a spread block');
  } else {
    (tg.Spreads ?? []).forEach((s, i) => {
      errors.push(...nested(`Spread ${i + 1} validation failed: `, validateSpread(s)));
    });
  }

  if (type === 'system' || type === 'sysbatch') {
    if (tg.ReschedulePolicy) {
      errors.push('System or sysbatch jobs should not have a reschedule policy');
    }
  } else if (tg.ReschedulePolicy) {
    errors.push(...validateReschedulePolicy(tg.ReschedulePolicy));
  } else {
    errors.push(`Task Group ${tg.Name} should have a reschedule policy`);
  }

  if (tg.EphemeralDisk) errors.push(...validateEphemeralDisk(tg.EphemeralDisk));
  else errors.push(`Task Group ${tg.Name} should have an ephemeral disk object`);

  if (tg.Update) {
    if (type !== 'service' && type !== 'system') {
      errors.push(`Job type ${JSON.stringify(type)} does not allow update block`);
    }
    errors.push(...validateUpdateStrategy(tg.Update));
  }
  if (tg.Migrate) {
    if (type === 'service') errors.push(...validateMigrateStrategy(tg.Migrate));
    else errors.push(`Job type ${JSON.stringify(type)} does not allow migrate block`);
  }

  const seen = new Map<string, number>();
  let leaders = 0;
  let mains = 0;
  (tg.Tasks ?? []).forEach((task, i) => {
    if (task.Name === '') {
      errors.push(`Task ${i + 1} missing name`);
    } else if (seen.has(task.Name)) {
      errors.push(`Task ${i + 1} redefines '${task.Name}' from task ${seen.get(task.Name)! + 1}`);
    } else {
      seen.set(task.Name, i);
    }
    if (task.Leader) leaders++;
    // Nomad's Task.IsMain: no lifecycle hook.
    if (!task.Lifecycle?.Hook) mains++;
  });
  if (leaders > 1) errors.push('Only one task may be marked as leader');
  if (tg.Tasks?.length && mains === 0) {
    errors.push(`Task group ${tg.Name} must have at least one main task`);
  }

  for (const task of tg.Tasks ?? []) {
    errors.push(...nested(`Task ${task.Name} validation failed: `, validateTask(task, type, tg)));
  }
  return errors;
}
