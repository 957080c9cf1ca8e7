// Nomad's GenericStack (scheduler/feasible/stack.go, feasible.go, rank.go, select.go), fused
// into one loop for speed:
//
//   shuffled nodes ─► feasibility (job constraints; drivers + group/task constraints, cached per
//   computed class) ─► distinct_hosts ─► binpack (fit + score) ─► job anti-affinity ─►
//   reschedule penalty ─► normalise (average) ─► limit (log2 n, or 2 for batch; skip up to 3
//   non-positive scores) ─► max score (first best wins: a stable tie break)
//
// The node order is kept between selections, so successive placements continue where the last
// one stopped (Nomad's StaticIterator), spreading work over the cluster.
import type { AllocMetric, Constraint, Job, Node, TaskGroup } from '@berth/contract';

import { exhausted, type ResourceAmounts } from '../../capacity.js';
import { groupAsk } from '../alloc/resources.js';
import { computedClass } from '../feasible/computed-class.js';
import { constraintText, hasDistinctHosts, meetsConstraint } from '../feasible/constraint.js';
import { FILTER_MISSING_DRIVERS, hasDrivers } from '../feasible/drivers.js';
import type { EvalEligibility } from '../feasible/eligibility.js';
import type { PlanBuilder } from '../plan/plan-builder.js';
import { BINPACK_MAX_FIT_SCORE, scoreFitBinPack } from './binpack.js';
import { exhaustNode, filterNode, newAllocMetric, TopScores } from './metrics.js';
import { shuffleNodes } from './shuffle.js';

/** Nodes whose score is at most this are skipped by the limit iterator when others remain. */
const SKIP_SCORE_THRESHOLD = 0;
/** How many such nodes may be skipped. */
const MAX_SKIP = 3;
/** The filter reason of a node whose computed class already failed a check. */
export const FILTER_CLASS_INELIGIBLE = 'computed class ineligible';

export interface SelectOptions {
  /** Nodes a replacement should avoid (where the allocation failed before). */
  penaltyNodeIDs?: ReadonlySet<string>;
  /** Nodes to try first (sticky or migrating ephemeral disk). */
  preferredNodes?: readonly Node[];
}

export interface RankedNode {
  node: Node;
  finalScore: number;
}

export interface Selection {
  option: RankedNode | null;
  metrics: AllocMetric;
  top: TopScores;
}

interface GroupChecks {
  drivers: string[];
  constraints: Constraint[];
  distinctHosts: boolean;
  ask: ResourceAmounts;
}

export class GenericStack {
  private nodes: Node[] = [];
  private offset = 0;
  private limit = 2;
  private job: Job | null = null;
  private jobConstraints: Constraint[] = [];
  private jobDistinctHosts = false;
  private readonly groups = new WeakMap<TaskGroup, GroupChecks>();

  constructor(
    private readonly batch: boolean,
    private readonly plan: PlanBuilder,
    private readonly eligibility: EvalEligibility,
    private readonly evalID: string,
    private readonly stateIndex: number,
  ) {}

  /** The candidate nodes, shuffled for this evaluation; sets the limit from their number. */
  setNodes(nodes: readonly Node[]): void {
    this.nodes = [...nodes];
    shuffleNodes(this.nodes, this.evalID, this.stateIndex);
    this.offset = 0;
    this.limit = 2;
    if (!this.batch && nodes.length > 0) {
      this.limit = Math.max(2, Math.ceil(Math.log2(nodes.length)));
    }
  }

  setJob(job: Job): void {
    if (this.job === job) return;
    this.job = job;
    this.jobConstraints = job.Constraints ?? [];
    this.jobDistinctHosts = hasDistinctHosts(job.Constraints);
    this.eligibility.setJob(job);
  }

  private checksOf(tg: TaskGroup): GroupChecks {
    let checks = this.groups.get(tg);
    if (checks === undefined) {
      const drivers = new Set<string>();
      const constraints = [...(tg.Constraints ?? [])];
      for (const task of tg.Tasks ?? []) {
        drivers.add(task.Driver);
        constraints.push(...(task.Constraints ?? []));
      }
      checks = {
        drivers: [...drivers],
        constraints,
        distinctHosts: hasDistinctHosts(tg.Constraints),
        ask: groupAsk(tg),
      };
      this.groups.set(tg, checks);
    }
    return checks;
  }

  /** Picks the best node for one allocation of `tg`, with the metrics of the search. */
  select(tg: TaskGroup, options: SelectOptions = {}): Selection {
    const preferred = options.preferredNodes;
    if (preferred !== undefined && preferred.length > 0) {
      const [nodes, offset] = [this.nodes, this.offset];
      this.nodes = [...preferred];
      this.offset = 0;
      const first = this.selectFrom(tg, options);
      this.nodes = nodes;
      this.offset = offset;
      if (first.option !== null) return first;
    }
    return this.selectFrom(tg, options);
  }

  private selectFrom(tg: TaskGroup, options: SelectOptions): Selection {
    const job = this.job;
    if (job === null) throw new Error('scheduler: select before setJob');
    const start = performance.now();
    const m = newAllocMetric();
    const top = new TopScores();
    const checks = this.checksOf(tg);
    const { ask } = checks;
    const elig = this.eligibility;
    const penalty = options.penaltyNodeIDs;
    const desired = Math.max(1, tg.Count);
    const nodes = this.nodes;
    const n = nodes.length;
    let seenSource = 0;

    const nextNode = (): Node | undefined => {
      if (this.offset === n || seenSource === n) {
        if (seenSource === n) return undefined;
        this.offset = 0;
      }
      const node = nodes[this.offset++];
      seenSource++;
      m.NodesEvaluated++;
      return node;
    };

    const feasible = (node: Node): boolean => {
      const cls = computedClass(node);
      const jobStatus = elig.jobStatus(cls);
      if (jobStatus === 'ineligible') {
        filterNode(m, node, FILTER_CLASS_INELIGIBLE);
        return false;
      }
      if (jobStatus !== 'eligible') {
        for (const c of this.jobConstraints) {
          if (!meetsConstraint(c, node)) {
            filterNode(m, node, constraintText(c));
            if (jobStatus !== 'escaped') elig.setJobEligibility(false, cls);
            return false;
          }
        }
        if (jobStatus === 'unknown') elig.setJobEligibility(true, cls);
      }
      const groupStatus = elig.groupStatus(tg.Name, cls);
      if (groupStatus === 'ineligible') {
        filterNode(m, node, FILTER_CLASS_INELIGIBLE);
        return false;
      }
      if (groupStatus !== 'eligible') {
        let reason: string | undefined;
        if (!hasDrivers(node, checks.drivers)) reason = FILTER_MISSING_DRIVERS;
        else {
          for (const c of checks.constraints) {
            if (!meetsConstraint(c, node)) {
              reason = constraintText(c);
              break;
            }
          }
        }
        if (reason !== undefined) {
          filterNode(m, node, reason);
          if (groupStatus !== 'escaped') elig.setGroupEligibility(false, tg.Name, cls);
          return false;
        }
        if (groupStatus === 'unknown') elig.setGroupEligibility(true, tg.Name, cls);
      }
      return true;
    };

    const nextRanked = (): RankedNode | null => {
      for (;;) {
        const node = nextNode();
        if (node === undefined) return null;
        if (!feasible(node)) continue;
        const usage = this.plan.usageOf(node);
        if (
          (this.jobDistinctHosts && usage.jobCount() > 0) ||
          (checks.distinctHosts && usage.groupCount(tg.Name) > 0)
        ) {
          filterNode(m, node, 'distinct_hosts');
          continue;
        }
        const cpu = usage.cpu + ask.cpu;
        const mem = usage.memoryMB + ask.memoryMB;
        const avail = usage.capacity;
        const dimension = exhausted(cpu, mem, usage.diskMB + ask.diskMB, avail);
        if (dimension !== undefined) {
          exhaustNode(m, node, dimension);
          continue;
        }
        const binpack =
          scoreFitBinPack(cpu, avail.cpu, mem, avail.memoryMB) / BINPACK_MAX_FIT_SCORE;
        let sum = binpack;
        let count = 1;
        const collisions = usage.groupCount(tg.Name);
        const antiAffinity = collisions > 0 ? (-1 * (collisions + 1)) / desired : 0;
        if (collisions > 0) {
          sum += antiAffinity;
          count++;
        }
        const penalised = penalty?.has(node.ID) === true;
        if (penalised) {
          sum -= 1;
          count++;
        }
        const finalScore = sum / count;
        top.push({
          NodeID: node.ID,
          Scores: {
            binpack,
            'job-anti-affinity': antiAffinity,
            'node-reschedule-penalty': penalised ? -1 : 0,
            'node-affinity': 0,
          },
          NormScore: finalScore,
        });
        return { node, finalScore };
      }
    };

    // The limit iterator over the ranked nodes, feeding the max-score selector.
    const skipped: RankedNode[] = [];
    let skippedIndex = 0;
    const nextOption = (): RankedNode | null => {
      const o = nextRanked();
      if (o === null && skippedIndex < skipped.length) return skipped[skippedIndex++] ?? null;
      return o;
    };
    let best: RankedNode | null = null;
    let seen = 0;
    while (seen < this.limit) {
      let option = nextOption();
      if (option === null) break;
      while (
        option !== null &&
        option.finalScore <= SKIP_SCORE_THRESHOLD &&
        skipped.length < MAX_SKIP
      ) {
        skipped.push(option);
        option = nextRanked();
      }
      seen++;
      option ??= nextOption();
      if (option === null) break;
      if (best === null || option.finalScore > best.finalScore) best = option;
    }
    m.AllocationTime = Math.round((performance.now() - start) * 1e6);
    return { option: best, metrics: m, top };
  }
}
