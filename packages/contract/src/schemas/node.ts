// Nomad's Node (nomad/structs/structs.go): a client machine that runs allocations.
import { z } from 'zod';
import { NetworkResourceSchema } from './resources.js';
import {
  goBoolField,
  goInt,
  goMap,
  goOpaqueStruct,
  goPtr,
  goSlice,
  goString,
  goStringMap,
  goTime,
} from './wire.js';

/** The values of `Node.Status`. */
export const NodeStatus = {
  Initializing: 'initializing',
  Ready: 'ready',
  Down: 'down',
  Disconnected: 'disconnected',
} as const;

/** Schema of one {@link NodeStatus}. */
export const NodeStatusSchema = z.nativeEnum(NodeStatus);

/** One of the {@link NodeStatus} strings. */
export type NodeStatus = z.infer<typeof NodeStatusSchema>;

/** The values of `Node.SchedulingEligibility`. */
export const NodeSchedulingEligibility = {
  Eligible: 'eligible',
  Ineligible: 'ineligible',
} as const;

/** Schema of one {@link NodeSchedulingEligibility}. */
export const NodeSchedulingEligibilitySchema = z.nativeEnum(NodeSchedulingEligibility);

/** One of the {@link NodeSchedulingEligibility} strings. */
export type NodeSchedulingEligibility = z.infer<typeof NodeSchedulingEligibilitySchema>;

const DriverInfoShape = {
  Detected: goBoolField(),
  Healthy: goBoolField(),
  HealthDescription: goString(),
  UpdateTime: goTime(),
  Attributes: goStringMap(),
};

/** The zod type of {@link DriverInfoSchema} (named, so declaration files stay small). */
export interface DriverInfoSchemaType extends z.ZodObject<typeof DriverInfoShape> {}

/** What the node's agent found out about one task driver. */
export const DriverInfoSchema: DriverInfoSchemaType = z.object(DriverInfoShape);

/** A driver's info as sent on the wire. */
export type DriverInfo = z.infer<typeof DriverInfoSchema>;

const NodeCpuResourcesShape = {
  CpuShares: goInt(),
  TotalCpuCores: goInt(),
  ReservableCpuCores: goSlice(z.number()),
};

/** The zod type of {@link NodeCpuResourcesSchema} (named, so declaration files stay small). */
export interface NodeCpuResourcesSchemaType extends z.ZodObject<typeof NodeCpuResourcesShape> {}

/** A node's CPU: total MHz (`CpuShares`), core count and the cores allocations may reserve. */
export const NodeCpuResourcesSchema: NodeCpuResourcesSchemaType = z.object(NodeCpuResourcesShape);

/** Nomad's NodeProcessorResources: the CPU topology (berth does not detect one: `null`). */
export const NodeProcessorResourcesSchema = z
  .object({ Topology: goPtr(goOpaqueStruct()) })
  .passthrough();
/** Nomad's NodeDeviceResource: a device group a node offers (berth detects none). */
export const NodeDeviceResourceSchema = goOpaqueStruct();
/** Nomad's NodeNetworkResource: a host network interface (berth reports none). */
export const NodeNetworkResourceSchema = goOpaqueStruct();

const NodeResourcesShape = {
  Cpu: NodeCpuResourcesSchema.default({}),
  Memory: z.object({ MemoryMB: goInt() }).default({}),
  Disk: z.object({ DiskMB: goInt() }).default({}),
  Processors: NodeProcessorResourcesSchema.default({}),
  Devices: goSlice(NodeDeviceResourceSchema),
  NodeNetworks: goSlice(NodeNetworkResourceSchema),
  Networks: goSlice(NetworkResourceSchema),
  MinDynamicPort: goInt(),
  MaxDynamicPort: goInt(),
};

/** The zod type of {@link NodeResourcesSchema} (named, so declaration files stay small). */
export interface NodeResourcesSchemaType extends z.ZodObject<typeof NodeResourcesShape> {}

/** The resources a node offers. Dynamic ports are taken from `MinDynamicPort`..`MaxDynamicPort`. */
export const NodeResourcesSchema: NodeResourcesSchemaType = z.object(NodeResourcesShape);

/** A node's resources as sent on the wire. */
export type NodeResources = z.infer<typeof NodeResourcesSchema>;

const NodeReservedResourcesShape = {
  Cpu: z.object({ CpuShares: goInt(), ReservedCpuCores: goSlice(z.number()) }).default({}),
  Memory: z.object({ MemoryMB: goInt() }).default({}),
  Disk: z.object({ DiskMB: goInt() }).default({}),
  /** Comma-separated ports and ranges, e.g. `"22,80,8000-8100"`. */
  Networks: z.object({ ReservedHostPorts: goString() }).default({}),
};

/** The zod type of {@link NodeReservedResourcesSchema} (named, so declaration files stay small). */
export interface NodeReservedResourcesSchemaType extends z.ZodObject<
  typeof NodeReservedResourcesShape
> {}

/** The part of a node's resources kept for the OS and agent, never given to allocations. */
export const NodeReservedResourcesSchema: NodeReservedResourcesSchemaType = z.object(
  NodeReservedResourcesShape,
);

/** A node's reserved resources as sent on the wire. */
export type NodeReservedResources = z.infer<typeof NodeReservedResourcesSchema>;

const NodeEventShape = {
  Message: goString(),
  Subsystem: goString(),
  Details: goStringMap(),
  Timestamp: goTime(),
  CreateIndex: goInt(),
};

/** The zod type of {@link NodeEventSchema} (named, so declaration files stay small). */
export interface NodeEventSchemaType extends z.ZodObject<typeof NodeEventShape> {}

/** One entry of a node's event history (registration, drain, heartbeat missed...). */
export const NodeEventSchema: NodeEventSchemaType = z.object(NodeEventShape);

/** A node event as sent on the wire. */
export type NodeEvent = z.infer<typeof NodeEventSchema>;

const ClientHostVolumeConfigShape = {
  Name: goString(),
  Path: goString(),
  ReadOnly: goBoolField(),
  ID: goString(),
};

/** The zod type of {@link ClientHostVolumeConfigSchema} (named, so declaration files stay small). */
export interface ClientHostVolumeConfigSchemaType extends z.ZodObject<
  typeof ClientHostVolumeConfigShape
> {}

/** A host volume a node offers: a directory (`Path`) jobs may mount by `Name`. */
export const ClientHostVolumeConfigSchema: ClientHostVolumeConfigSchemaType = z.object(
  ClientHostVolumeConfigShape,
);

/** A host volume as sent on the wire. */
export type ClientHostVolumeConfig = z.infer<typeof ClientHostVolumeConfigSchema>;

const DrainMetadataShape = {
  StartedAt: goTime(),
  UpdatedAt: goTime(),
  Status: goString(),
  AccessorID: goString(),
  Meta: goStringMap(),
};

/** The zod type of {@link DrainMetadataSchema} (named, so declaration files stay small). */
export interface DrainMetadataSchemaType extends z.ZodObject<typeof DrainMetadataShape> {}

/** The last drain of a node: when, by whom, and its `Status` (`draining`, `complete`, `canceled`). */
export const DrainMetadataSchema: DrainMetadataSchemaType = z.object(DrainMetadataShape);

/** Drain metadata as sent on the wire. */
export type DrainMetadata = z.infer<typeof DrainMetadataSchema>;

const DrainStrategyShape = {
  /** The drain's deadline as asked, nanoseconds (0 none, -1 forced). */
  Deadline: goInt(),
  IgnoreSystemJobs: goBoolField(),
  /** When the remaining allocations are stopped (Go's zero time when there is no deadline). */
  ForceDeadline: goTime(),
  /** When the drain started. */
  StartedAt: goTime(),
};

/** The zod type of {@link DrainStrategySchema} (named, so declaration files stay small). */
export interface DrainStrategySchemaType extends z.ZodObject<typeof DrainStrategyShape> {}

/**
 * Nomad's DrainStrategy, set while a node drains: its embedded DrainSpec (`Deadline`,
 * `IgnoreSystemJobs`), then `ForceDeadline` and `StartedAt`.
 */
export const DrainStrategySchema: DrainStrategySchemaType = z.object(DrainStrategyShape);

/** A drain strategy as sent on the wire. */
export type DrainStrategy = z.infer<typeof DrainStrategySchema>;
/** Nomad's CSIInfo: a CSI plugin's fingerprint (berth has no CSI). */
export const CSIInfoSchema = goOpaqueStruct();
/** Nomad's ClientHostNetworkConfig: a named host network of the agent's config. */
export const ClientHostNetworkConfigSchema = goOpaqueStruct();

const NodeShape = {
  ID: z.string(),
  Name: goString(),
  Datacenter: goString(),
  CgroupParent: goString(),
  NodeClass: goString(),
  NodePool: goString(),
  ComputedClass: goString(),
  Links: goStringMap(),
  DrainStrategy: goPtr(DrainStrategySchema),
  IdentitySigningKeyID: goString(),
  CSIControllerPlugins: goMap(CSIInfoSchema),
  CSINodePlugins: goMap(CSIInfoSchema),
  HostNetworks: goMap(ClientHostNetworkConfigSchema),
  GCVolumesOnNodeGC: goBoolField(),
  NodeMaxAllocs: goInt(),
  LastMissedHeartbeatIndex: goInt(),
  LastAllocUpdateIndex: goInt(),
  HTTPAddr: goString(),
  TLSEnabled: goBoolField(),
  Attributes: goStringMap(),
  Meta: goStringMap(),
  Drivers: goMap(DriverInfoSchema),
  NodeResources: goPtr(NodeResourcesSchema),
  ReservedResources: goPtr(NodeReservedResourcesSchema),
  Status: NodeStatusSchema,
  StatusDescription: goString(),
  StatusUpdatedAt: goInt(),
  SchedulingEligibility: NodeSchedulingEligibilitySchema.default(
    NodeSchedulingEligibility.Eligible,
  ),
  Drain: goBoolField(),
  LastDrain: goPtr(DrainMetadataSchema),
  HostVolumes: goMap(ClientHostVolumeConfigSchema),
  Events: goSlice(NodeEventSchema),
  CreateIndex: goInt(),
  ModifyIndex: goInt(),
};

/** The zod type of {@link NodeSchema} (named, so declaration files stay small). */
export interface NodeSchemaType extends z.ZodObject<typeof NodeShape> {}

/**
 * A node, as the API shows it. The node's `SecretID` is deliberately absent: Nomad never sends it
 * in an API answer. Use {@link NodeRegistrationSchema} where it must travel (agent → server).
 * `HTTPAddr` is where the node's agent serves `/v1/client/...` calls; `StatusUpdatedAt` is unix
 * seconds.
 */
export const NodeSchema: NodeSchemaType = z.object(NodeShape);

/** A node as sent on the wire by the API. */
export type Node = z.infer<typeof NodeSchema>;

/**
 * A node with its `SecretID`: only for a node agent registering itself. Never an API answer.
 */
export const NodeRegistrationSchema = NodeSchema.extend({
  SecretID: z.string(),
});

/** A node registration (includes the secret). */
export type NodeRegistration = z.infer<typeof NodeRegistrationSchema>;
