// Nomad's AllocMetric (nomad/structs/alloc.go): what the scheduler saw while placing an allocation.
import { z } from 'zod';
import { ResourcesSchema } from './resources.js';
import { goFloat, goInt, goMap, goSlice, goString } from './wire.js';

const NodeScoreMetaShape = {
  NodeID: goString(),
  Scores: goMap(z.number()),
  NormScore: goFloat(),
};

/** The zod type of {@link NodeScoreMetaSchema} (named, so declaration files stay small). */
export interface NodeScoreMetaSchemaType extends z.ZodObject<typeof NodeScoreMetaShape> {}

/** The scores one node got for a placement, and their normalised sum. */
export const NodeScoreMetaSchema: NodeScoreMetaSchemaType = z.object(NodeScoreMetaShape);

/** A node's score metadata as sent on the wire. */
export type NodeScoreMeta = z.infer<typeof NodeScoreMetaSchema>;

const AllocMetricShape = {
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
};

/** The zod type of {@link AllocMetricSchema} (named, so declaration files stay small). */
export interface AllocMetricSchemaType extends z.ZodObject<typeof AllocMetricShape> {}

/**
 * Placement metrics: how many nodes were evaluated, filtered (by class or constraint) and
 * exhausted (by dimension), the top scores, and how long the placement took (`AllocationTime`, ns).
 * Also the value type of an evaluation's `FailedTGAllocs`.
 */
export const AllocMetricSchema: AllocMetricSchemaType = z.object(AllocMetricShape);

/** Allocation metrics as sent on the wire. */
export type AllocMetric = z.infer<typeof AllocMetricSchema>;
