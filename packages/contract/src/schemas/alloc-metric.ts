// Nomad's AllocMetric (nomad/structs/alloc.go): what the scheduler saw while placing an allocation.
import { z } from 'zod';
import { ResourcesSchema } from './resources.js';
import { goFloat, goInt, goMap, goSlice, goString } from './wire.js';

/** The scores one node got for a placement, and their normalised sum. */
export const NodeScoreMetaSchema = z.object({
  NodeID: goString(),
  Scores: goMap(z.number()),
  NormScore: goFloat(),
});

/** A node's score metadata as sent on the wire. */
export type NodeScoreMeta = z.infer<typeof NodeScoreMetaSchema>;

/**
 * Placement metrics: how many nodes were evaluated, filtered (by class or constraint) and
 * exhausted (by dimension), the top scores, and how long the placement took (`AllocationTime`, ns).
 * Also the value type of an evaluation's `FailedTGAllocs`.
 */
export const AllocMetricSchema = z.object({
  NodesEvaluated: goInt(),
  NodesFiltered: goInt(),
  NodesInPool: goInt(),
  NodePool: goString(),
  NodesAvailable: goMap(z.number()),
  ClassFiltered: goMap(z.number()),
  ConstraintFiltered: goMap(z.number()),
  NodesExhausted: goInt(),
  ClassExhausted: goMap(z.number()),
  DimensionExhausted: goMap(z.number()),
  QuotaExhausted: goSlice(z.string()),
  ResourcesExhausted: goMap(ResourcesSchema.nullable()),
  /** Deprecated in Nomad: `"<nodeID>.<scorer>"` → score. Use `ScoreMetaData`. */
  Scores: goMap(z.number()),
  ScoreMetaData: goSlice(NodeScoreMetaSchema),
  AllocationTime: goInt(),
  CoalescedFailures: goInt(),
});

/** Allocation metrics as sent on the wire. */
export type AllocMetric = z.infer<typeof AllocMetricSchema>;
