// What one pass of the drainer does for one draining node, after Nomad's nomad/drainer
// (watch_jobs.go handleTaskGroup, draining_node.go IsDone/RemainingAllocs, the deadline notifier):
// a pure decision over the state, so its pacing can be tested without timers.
import type { Allocation, Job, Node } from '@berth/contract';
import { clientTerminal, serverTerminal } from '../generic/alloc/status.js';

/** What the drainer reads to decide. */
export interface DrainInput {
  /** The draining node (its `DrainStrategy` is set). */
  node: Node;
  /** Every allocation on the node. */
  nodeAllocs: readonly Allocation[];
  /** Every allocation of a job, on any node. */
  jobAllocs(namespace: string, jobID: string): readonly Allocation[];
  /** The job as stored now (`undefined` when it is gone). */
  job(namespace: string, jobID: string): Job | undefined;
  /** Now, unix milliseconds. */
  nowMs: number;
}

/** What to do: allocations to mark for migration, and whether the drain is complete. */
export interface DrainStep {
  migrate: Allocation[];
  /** No allocation is left to drain: the node's drain completes (after `migrate` is written). */
  done: boolean;
  /** When the deadline forces the rest off (unix ms), if it is still ahead. */
  deadlineMs: number | undefined;
}

/** Go's zero time, a drain's `ForceDeadline` when it has none. */
const GO_ZERO_YEAR = 1;

/** The drain's deadline: `'force'` (now), a time in unix ms, or `undefined` (none). */
export function drainDeadline(node: Node): 'force' | number | undefined {
  const strategy = node.DrainStrategy;
  if (strategy === null) return undefined;
  if (strategy.Deadline < 0) return 'force';
  if (strategy.Deadline === 0 || strategy.ForceDeadline === null) return undefined;
  const at = Date.parse(strategy.ForceDeadline);
  if (Number.isNaN(at) || new Date(at).getUTCFullYear() === GO_ZERO_YEAR) return undefined;
  return at;
}

const isSystem = (a: Allocation) => a.Job?.Type === 'system' || a.Job?.Type === 'sysbatch';
const migrating = (a: Allocation) => a.DesiredTransition.Migrate === true;

/**
 * Healthy from a migration's point of view (Nomad: running with a healthy deployment status):
 * wanted running, running on its client, not itself being moved, not reported unhealthy.
 */
function healthy(a: Allocation): boolean {
  return (
    !serverTerminal(a) &&
    a.ClientStatus === 'running' &&
    !migrating(a) &&
    a.DeploymentStatus?.Healthy !== false
  );
}

/** Still to leave the node: its client has not finished with it. */
const remaining = (a: Allocation) => !clientTerminal(a);

/** May be marked now: still wanted running and not marked yet. */
const drainable = (a: Allocation) => remaining(a) && !serverTerminal(a) && !migrating(a);

/** One pass for one draining node. */
export function drainStep(input: DrainInput): DrainStep {
  const { node, nodeAllocs } = input;
  const ignoreSystem = node.DrainStrategy?.IgnoreSystemJobs === true;
  const deadline = drainDeadline(node);
  const forced = deadline === 'force' || (deadline !== undefined && input.nowMs >= deadline);
  const deadlineMs = typeof deadline === 'number' && !forced ? deadline : undefined;

  const left = nodeAllocs.filter((a) => remaining(a) && !isSystem(a));
  const systemLeft = nodeAllocs.filter((a) => remaining(a) && isSystem(a));

  // At the deadline, everything still there goes at once (system jobs too, unless ignored).
  if (forced) {
    const all = [...left, ...(ignoreSystem ? [] : systemLeft)].filter(drainable);
    return { migrate: all, done: left.length === 0, deadlineMs };
  }

  // Done with the service and batch allocations: the system ones go last (Nomad's
  // handleMigratedAllocs), in the same pass as the completion.
  if (left.length === 0) {
    return {
      migrate: ignoreSystem ? [] : systemLeft.filter(drainable),
      done: true,
      deadlineMs,
    };
  }

  // Service groups at their migrate pace; batch allocations are left to finish until the deadline.
  const migrate: Allocation[] = [];
  const groups = new Map<string, Allocation[]>();
  for (const a of left) {
    if (a.Job?.Type !== 'service' || !drainable(a)) continue;
    const key = `${a.Namespace}\u0000${a.JobID}\u0000${a.TaskGroup}`;
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [a]);
    else list.push(a);
  }
  for (const candidates of groups.values()) {
    const first = candidates[0]!;
    migrate.push(...candidates.slice(0, groupBudget(input, first)));
  }
  return { migrate, done: false, deadlineMs };
}

/**
 * How many more of a group's allocations may be marked now (Nomad's handleTaskGroup): the healthy
 * ones beyond `count - max_parallel`, so that no more than `max_parallel` are ever on the move. A
 * group whose job is gone, stopped or no longer has it is not held back.
 */
export function groupBudget(input: DrainInput, sample: Allocation): number {
  const job = input.job(sample.Namespace, sample.JobID);
  const group = job?.TaskGroups?.find((tg) => tg.Name === sample.TaskGroup);
  if (job === undefined || job.Stop || group === undefined) return Number.MAX_SAFE_INTEGER;
  const maxParallel = Math.max(1, group.Migrate?.MaxParallel ?? 1);
  const threshold = group.Count - maxParallel;
  const peers = input
    .jobAllocs(sample.Namespace, sample.JobID)
    .filter((a) => a.TaskGroup === sample.TaskGroup);
  const healthyCount = peers.filter(healthy).length;
  return Math.max(0, healthyCount - threshold);
}
