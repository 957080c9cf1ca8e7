// Nomad's EvalEligibility (scheduler/feasible/context.go): per computed node class, whether the
// job's and each task group's checks passed, so one evaluation runs them once per class. The
// answers become a blocked evaluation's ClassEligibility.
import type { Job } from '@berth/contract';

import { escapedConstraints } from './computed-class.js';

export type ClassFeasibility = 'unknown' | 'eligible' | 'ineligible' | 'escaped';

export class EvalEligibility {
  private readonly job = new Map<string, boolean>();
  private jobEscaped = false;
  private readonly groups = new Map<string, Map<string, boolean>>();
  private readonly groupEscaped = new Map<string, boolean>();

  setJob(job: Job): void {
    this.jobEscaped = escapedConstraints(job.Constraints ?? []).length > 0;
    for (const tg of job.TaskGroups ?? []) {
      const constraints = [...(tg.Constraints ?? [])];
      for (const task of tg.Tasks ?? []) constraints.push(...(task.Constraints ?? []));
      this.groupEscaped.set(tg.Name, escapedConstraints(constraints).length > 0);
    }
  }

  /** Whether any job or group constraint escapes the computed class. */
  hasEscaped(): boolean {
    if (this.jobEscaped) return true;
    for (const escaped of this.groupEscaped.values()) if (escaped) return true;
    return false;
  }

  jobStatus(cls: string): ClassFeasibility {
    if (this.jobEscaped) return 'escaped';
    const known = this.job.get(cls);
    return known === undefined ? 'unknown' : known ? 'eligible' : 'ineligible';
  }

  setJobEligibility(eligible: boolean, cls: string): void {
    this.job.set(cls, eligible);
  }

  groupStatus(group: string, cls: string): ClassFeasibility {
    if (this.groupEscaped.get(group) === true) return 'escaped';
    const known = this.groups.get(group)?.get(cls);
    return known === undefined ? 'unknown' : known ? 'eligible' : 'ineligible';
  }

  setGroupEligibility(eligible: boolean, group: string, cls: string): void {
    let classes = this.groups.get(group);
    if (classes === undefined) {
      classes = new Map();
      this.groups.set(group, classes);
    }
    classes.set(cls, eligible);
  }

  /**
   * Every class seen, eligible if some group could use it and the job could (Nomad's GetClasses:
   * a group's "eligible" wins over another's "ineligible"; the job's "ineligible" wins over all).
   */
  classes(): Record<string, boolean> {
    const out: Record<string, boolean> = {};
    for (const classes of this.groups.values()) {
      for (const [cls, eligible] of classes) {
        if (eligible) out[cls] = true;
        else if (!(cls in out)) out[cls] = false;
      }
    }
    for (const [cls, eligible] of this.job) {
      if (!eligible) out[cls] = false;
      else if (!(cls in out)) out[cls] = true;
    }
    return out;
  }
}
