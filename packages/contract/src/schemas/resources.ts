// Nomad's resource shapes: networks and ports, the legacy `Resources` of jobs and allocations, and
// the `AllocatedResources` the scheduler assigns to an allocation.
import { z } from 'zod';
import { AffinitySchema, ConstraintSchema } from './constraint.js';
import { goBoolField, goInt, goMap, goOpaqueStruct, goPtr, goSlice, goString } from './wire.js';

const PortShape = {
  Label: goString(),
  Value: goInt(),
  To: goInt(),
  HostNetwork: goString(),
};

/** The zod type of {@link PortSchema} (named, so declaration files stay small). */
export interface PortSchemaType extends z.ZodObject<typeof PortShape> {}

/** A port: `Value` is the host port (0 = dynamic, not yet assigned), `To` the mapped port. */
export const PortSchema: PortSchemaType = z.object(PortShape);

/** A port as sent on the wire. */
export type Port = z.infer<typeof PortSchema>;

const DNSConfigShape = {
  Servers: goSlice(z.string()),
  Searches: goSlice(z.string()),
  Options: goSlice(z.string()),
};

/** The zod type of {@link DNSConfigSchema} (named, so declaration files stay small). */
export interface DNSConfigSchemaType extends z.ZodObject<typeof DNSConfigShape> {}

/** DNS settings of a network or of an allocation's network namespace. */
export const DNSConfigSchema: DNSConfigSchemaType = z.object(DNSConfigShape);

/** DNS settings as sent on the wire. */
export type DNSConfig = z.infer<typeof DNSConfigSchema>;

const NetworkResourceShape = {
  Mode: goString(),
  Device: goString(),
  CIDR: goString(),
  IP: goString(),
  Hostname: goString(),
  MBits: goInt(),
  DNS: goPtr(DNSConfigSchema),
  ReservedPorts: goSlice(PortSchema),
  DynamicPorts: goSlice(PortSchema),
};

/** The zod type of {@link NetworkResourceSchema} (named, so declaration files stay small). */
export interface NetworkResourceSchemaType extends z.ZodObject<typeof NetworkResourceShape> {}

/** A network asked for by a task or group, or assigned to an allocation. */
export const NetworkResourceSchema: NetworkResourceSchemaType = z.object(NetworkResourceShape);

/** A network resource as sent on the wire. */
export type NetworkResource = z.infer<typeof NetworkResourceSchema>;

const RequestedDeviceShape = {
  Name: goString(),
  Count: goInt(),
  Constraints: goSlice(ConstraintSchema),
  Affinities: goSlice(AffinitySchema),
};

/** The zod type of {@link RequestedDeviceSchema} (named, so declaration files stay small). */
export interface RequestedDeviceSchemaType extends z.ZodObject<typeof RequestedDeviceShape> {}

/** A device request of a task (`Name` is `vendor/type/name`, any prefix of it). */
export const RequestedDeviceSchema: RequestedDeviceSchemaType = z.object(RequestedDeviceShape);

/** A requested device as sent on the wire. */
export type RequestedDevice = z.infer<typeof RequestedDeviceSchema>;

/** Nomad's NUMA: how a task's cores are placed across NUMA nodes (kept as sent). */
export const NUMASchema = goOpaqueStruct();

const ResourcesShape = {
  CPU: goInt(),
  Cores: goInt(),
  MemoryMB: goInt(),
  MemoryMaxMB: goInt(),
  DiskMB: goInt(),
  IOPS: goInt(),
  Networks: goSlice(NetworkResourceSchema),
  Devices: goSlice(RequestedDeviceSchema),
  NUMA: goPtr(NUMASchema),
  SecretsMB: goInt(),
};

/** The zod type of {@link ResourcesSchema} (named, so declaration files stay small). */
export interface ResourcesSchemaType extends z.ZodObject<typeof ResourcesShape> {}

/**
 * The legacy (pre-0.9) resources shape, still used by a task's request and by the deprecated
 * `Resources`, `SharedResources` and `TaskResources` of an allocation. `CPU` is MHz.
 */
export const ResourcesSchema: ResourcesSchemaType = z.object(ResourcesShape);

/** Legacy resources as sent on the wire. */
export type Resources = z.infer<typeof ResourcesSchema>;

const AllocatedCpuResourcesShape = {
  CpuShares: goInt(),
  ReservedCores: goSlice(z.number()),
};

/** The zod type of {@link AllocatedCpuResourcesSchema} (named, so declaration files stay small). */
export interface AllocatedCpuResourcesSchemaType extends z.ZodObject<
  typeof AllocatedCpuResourcesShape
> {}

/** CPU assigned to a task: MHz shares, and the cores reserved for it exclusively. */
export const AllocatedCpuResourcesSchema: AllocatedCpuResourcesSchemaType = z.object(
  AllocatedCpuResourcesShape,
);

/** Allocated CPU as sent on the wire. */
export type AllocatedCpuResources = z.infer<typeof AllocatedCpuResourcesSchema>;

const AllocatedMemoryResourcesShape = {
  MemoryMB: goInt(),
  MemoryMaxMB: goInt(),
};

/** The zod type of {@link AllocatedMemoryResourcesSchema} (named, so declaration files stay small). */
export interface AllocatedMemoryResourcesSchemaType extends z.ZodObject<
  typeof AllocatedMemoryResourcesShape
> {}

/** Memory assigned to a task; `MemoryMaxMB` is the oversubscription limit (0 = none). */
export const AllocatedMemoryResourcesSchema: AllocatedMemoryResourcesSchemaType = z.object(
  AllocatedMemoryResourcesShape,
);

/** Allocated memory as sent on the wire. */
export type AllocatedMemoryResources = z.infer<typeof AllocatedMemoryResourcesSchema>;

const AllocatedDeviceResourceShape = {
  Vendor: goString(),
  Type: goString(),
  Name: goString(),
  DeviceIDs: goSlice(z.string()),
};

/** The zod type of {@link AllocatedDeviceResourceSchema} (named, so declaration files stay small). */
export interface AllocatedDeviceResourceSchemaType extends z.ZodObject<
  typeof AllocatedDeviceResourceShape
> {}

/** Device instances assigned to a task. */
export const AllocatedDeviceResourceSchema: AllocatedDeviceResourceSchemaType = z.object(
  AllocatedDeviceResourceShape,
);

/** An allocated device as sent on the wire. */
export type AllocatedDeviceResource = z.infer<typeof AllocatedDeviceResourceSchema>;

const AllocatedTaskResourcesShape = {
  Cpu: AllocatedCpuResourcesSchema.default({}),
  Memory: AllocatedMemoryResourcesSchema.default({}),
  Networks: goSlice(NetworkResourceSchema),
  Devices: goSlice(AllocatedDeviceResourceSchema),
};

/** The zod type of {@link AllocatedTaskResourcesSchema} (named, so declaration files stay small). */
export interface AllocatedTaskResourcesSchemaType extends z.ZodObject<
  typeof AllocatedTaskResourcesShape
> {}

/** What one task of an allocation was given. */
export const AllocatedTaskResourcesSchema: AllocatedTaskResourcesSchemaType = z.object(
  AllocatedTaskResourcesShape,
);

/** Allocated task resources as sent on the wire. */
export type AllocatedTaskResources = z.infer<typeof AllocatedTaskResourcesSchema>;

const AllocatedPortMappingShape = {
  Label: goString(),
  Value: goInt(),
  To: goInt(),
  HostIP: goString(),
};

/** The zod type of {@link AllocatedPortMappingSchema} (named, so declaration files stay small). */
export interface AllocatedPortMappingSchemaType extends z.ZodObject<
  typeof AllocatedPortMappingShape
> {}

/** A port assigned to an allocation: host port `Value` on `HostIP`, mapped to `To`. */
export const AllocatedPortMappingSchema: AllocatedPortMappingSchemaType =
  z.object(AllocatedPortMappingShape);

/** An allocated port mapping as sent on the wire. */
export type AllocatedPortMapping = z.infer<typeof AllocatedPortMappingSchema>;

const AllocatedSharedResourcesShape = {
  Networks: goSlice(NetworkResourceSchema),
  DiskMB: goInt(),
  Ports: goSlice(AllocatedPortMappingSchema),
};

/** The zod type of {@link AllocatedSharedResourcesSchema} (named, so declaration files stay small). */
export interface AllocatedSharedResourcesSchemaType extends z.ZodObject<
  typeof AllocatedSharedResourcesShape
> {}

/** What the allocation's task group shares: group networks, ephemeral disk and ports. */
export const AllocatedSharedResourcesSchema: AllocatedSharedResourcesSchemaType = z.object(
  AllocatedSharedResourcesShape,
);

/** Allocated shared resources as sent on the wire. */
export type AllocatedSharedResources = z.infer<typeof AllocatedSharedResourcesSchema>;

const TaskLifecycleShape = {
  Hook: goString(),
  Sidecar: goBoolField(),
};

/** The zod type of {@link TaskLifecycleSchema} (named, so declaration files stay small). */
export interface TaskLifecycleSchemaType extends z.ZodObject<typeof TaskLifecycleShape> {}

/** A task's lifecycle hook: `prestart`, `poststart` or `poststop`, optionally as a sidecar. */
export const TaskLifecycleSchema: TaskLifecycleSchemaType = z.object(TaskLifecycleShape);

/** A task lifecycle as sent on the wire. */
export type TaskLifecycle = z.infer<typeof TaskLifecycleSchema>;

const AllocatedResourcesShape = {
  Tasks: goMap(AllocatedTaskResourcesSchema),
  TaskLifecycles: goMap(TaskLifecycleSchema.nullable()),
  Shared: AllocatedSharedResourcesSchema.default({}),
};

/** The zod type of {@link AllocatedResourcesSchema} (named, so declaration files stay small). */
export interface AllocatedResourcesSchemaType extends z.ZodObject<typeof AllocatedResourcesShape> {}

/**
 * The resources the scheduler assigned to an allocation: per task (`Tasks`, keyed by task name),
 * each task's lifecycle (`null` for a main task), and what the group shares.
 */
export const AllocatedResourcesSchema: AllocatedResourcesSchemaType =
  z.object(AllocatedResourcesShape);

/** Allocated resources as sent on the wire. */
export type AllocatedResources = z.infer<typeof AllocatedResourcesSchema>;
