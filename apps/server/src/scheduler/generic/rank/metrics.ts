// Nomad's AllocMetric as the scheduler fills it while selecting a node (nomad/structs/alloc.go):
// nodes evaluated, filtered (by class and constraint), exhausted (by class and dimension), and
// the scores of the best nodes (a top-K of normalised scores).
import type { AllocMetric, Node, NodeScoreMeta, TaskGroup } from '@berth/contract';

import { taskAsk } from '../alloc/resources.js';

/** How many nodes' scores an allocation keeps (Nomad's MaxRetainedNodeScores). */
export const MAX_RETAINED_NODE_SCORES = 5;

/** An empty metric, every field present. */
export function newAllocMetric(): AllocMetric {
  return {
    NodesEvaluated: 0,
    NodesFiltered: 0,
    NodesInPool: 0,
    NodePool: '',
    NodesAvailable: null,
    ClassFiltered: null,
    ConstraintFiltered: null,
    NodesExhausted: 0,
    ClassExhausted: null,
    DimensionExhausted: null,
    QuotaExhausted: null,
    ResourcesExhausted: null,
    Scores: null,
    ScoreMetaData: null,
    AllocationTime: 0,
    CoalescedFailures: 0,
  };
}

function bump(map: Record<string, number> | null, key: string): Record<string, number> {
  const m = map ?? {};
  m[key] = (m[key] ?? 0) + 1;
  return m;
}

/** A node was removed by a feasibility check (`reason`: the constraint text or check name). */
export function filterNode(m: AllocMetric, node: Node, reason: string): void {
  m.NodesFiltered++;
  if (node.NodeClass !== '') m.ClassFiltered = bump(m.ClassFiltered, node.NodeClass);
  if (reason !== '') m.ConstraintFiltered = bump(m.ConstraintFiltered, reason);
}

/** A feasible node lacked room in `dimension` (`cpu`, `memory`, `disk`). */
export function exhaustNode(m: AllocMetric, node: Node, dimension: string): void {
  m.NodesExhausted++;
  if (node.NodeClass !== '') m.ClassExhausted = bump(m.ClassExhausted, node.NodeClass);
  if (dimension !== '') m.DimensionExhausted = bump(m.DimensionExhausted, dimension);
}

/** Adds what `tg` asked for to ResourcesExhausted, per exhausted dimension (Nomad's ExhaustResources). */
export function exhaustResources(m: AllocMetric, tg: TaskGroup): void {
  const dims = m.DimensionExhausted;
  if (dims === null) return;
  const out = m.ResourcesExhausted ?? {};
  for (const task of tg.Tasks ?? []) {
    const r = out[task.Name] ?? {
      CPU: 0,
      Cores: 0,
      MemoryMB: 0,
      MemoryMaxMB: 0,
      DiskMB: 0,
      IOPS: 0,
      Networks: null,
      Devices: null,
      NUMA: null,
      SecretsMB: 0,
    };
    const ask = taskAsk(task.Resources);
    if ((dims.memory ?? 0) > 0) r.MemoryMB += ask.memoryMB;
    if ((dims.cpu ?? 0) > 0) r.CPU += ask.cpu;
    out[task.Name] = r;
  }
  m.ResourcesExhausted = out;
}

/** Keeps the best-scored nodes, highest NormScore first. */
export class TopScores {
  private readonly top: NodeScoreMeta[] = [];

  push(meta: NodeScoreMeta): void {
    const top = this.top;
    if (top.length === MAX_RETAINED_NODE_SCORES) {
      const last = top[top.length - 1] as NodeScoreMeta;
      if (meta.NormScore <= last.NormScore) return;
      top.pop();
    }
    let i = top.length;
    while (i > 0 && (top[i - 1] as NodeScoreMeta).NormScore < meta.NormScore) i--;
    top.splice(i, 0, meta);
  }

  /** The retained scores (null when no node was scored, as Nomad sends). */
  result(): NodeScoreMeta[] | null {
    return this.top.length === 0 ? null : [...this.top];
  }
}
