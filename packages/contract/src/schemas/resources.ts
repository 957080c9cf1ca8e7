// Nomad's resource shapes: networks and ports, the legacy `Resources` of jobs and allocations, and
// the `AllocatedResources` the scheduler assigns to an allocation.
import { z } from 'zod';
import { AffinitySchema, ConstraintSchema } from './constraint.js';
import { goBoolField, goInt, goMap, goPtr, goSlice, goString } from './wire.js';

/** A port: `Value` is the host port (0 = dynamic, not yet assigned), `To` the mapped port. */
export const PortSchema = z.object({
  Label: goString(),
  Value: goInt(),
  To: goInt(),
  HostNetwork: goString(),
});

/** A port as sent on the wire. */
export type Port = z.infer<typeof PortSchema>;

/** DNS settings of a network or of an allocation's network namespace. */
export const DNSConfigSchema = z.object({
  Servers: goSlice(z.string()),
  Searches: goSlice(z.string()),
  Options: goSlice(z.string()),
});

/** DNS settings as sent on the wire. */
export type DNSConfig = z.infer<typeof DNSConfigSchema>;

/** A network asked for by a task or group, or assigned to an allocation. */
export const NetworkResourceSchema = z.object({
  Mode: goString(),
  Device: goString(),
  CIDR: goString(),
  IP: goString(),
  Hostname: goString(),
  MBits: goInt(),
  DNS: goPtr(DNSConfigSchema),
  ReservedPorts: goSlice(PortSchema),
  DynamicPorts: goSlice(PortSchema),
});

/** A network resource as sent on the wire. */
export type NetworkResource = z.infer<typeof NetworkResourceSchema>;

/** A device request of a task (`Name` is `vendor/type/name`, any prefix of it). */
export const RequestedDeviceSchema = z.object({
  Name: goString(),
  Count: goInt(),
  Constraints: goSlice(ConstraintSchema),
  Affinities: goSlice(AffinitySchema),
});

/** A requested device as sent on the wire. */
export type RequestedDevice = z.infer<typeof RequestedDeviceSchema>;

/**
 * The legacy (pre-0.9) resources shape, still used by a task's request and by the deprecated
 * `Resources`, `SharedResources` and `TaskResources` of an allocation. `CPU` is MHz.
 */
export const ResourcesSchema = z.object({
  CPU: goInt(),
  Cores: goInt(),
  MemoryMB: goInt(),
  MemoryMaxMB: goInt(),
  DiskMB: goInt(),
  IOPS: goInt(),
  Networks: goSlice(NetworkResourceSchema),
  Devices: goSlice(RequestedDeviceSchema),
});

/** Legacy resources as sent on the wire. */
export type Resources = z.infer<typeof ResourcesSchema>;

/** CPU assigned to a task: MHz shares, and the cores reserved for it exclusively. */
export const AllocatedCpuResourcesSchema = z.object({
  CpuShares: goInt(),
  ReservedCores: goSlice(z.number()),
});

/** Allocated CPU as sent on the wire. */
export type AllocatedCpuResources = z.infer<typeof AllocatedCpuResourcesSchema>;

/** Memory assigned to a task; `MemoryMaxMB` is the oversubscription limit (0 = none). */
export const AllocatedMemoryResourcesSchema = z.object({
  MemoryMB: goInt(),
  MemoryMaxMB: goInt(),
});

/** Allocated memory as sent on the wire. */
export type AllocatedMemoryResources = z.infer<typeof AllocatedMemoryResourcesSchema>;

/** Device instances assigned to a task. */
export const AllocatedDeviceResourceSchema = z.object({
  Vendor: goString(),
  Type: goString(),
  Name: goString(),
  DeviceIDs: goSlice(z.string()),
});

/** An allocated device as sent on the wire. */
export type AllocatedDeviceResource = z.infer<typeof AllocatedDeviceResourceSchema>;

/** What one task of an allocation was given. */
export const AllocatedTaskResourcesSchema = z.object({
  Cpu: AllocatedCpuResourcesSchema.default({}),
  Memory: AllocatedMemoryResourcesSchema.default({}),
  Networks: goSlice(NetworkResourceSchema),
  Devices: goSlice(AllocatedDeviceResourceSchema),
});

/** Allocated task resources as sent on the wire. */
export type AllocatedTaskResources = z.infer<typeof AllocatedTaskResourcesSchema>;

/** A port assigned to an allocation: host port `Value` on `HostIP`, mapped to `To`. */
export const AllocatedPortMappingSchema = z.object({
  Label: goString(),
  Value: goInt(),
  To: goInt(),
  HostIP: goString(),
});

/** An allocated port mapping as sent on the wire. */
export type AllocatedPortMapping = z.infer<typeof AllocatedPortMappingSchema>;

/** What the allocation's task group shares: group networks, ephemeral disk and ports. */
export const AllocatedSharedResourcesSchema = z.object({
  Networks: goSlice(NetworkResourceSchema),
  DiskMB: goInt(),
  Ports: goSlice(AllocatedPortMappingSchema),
});

/** Allocated shared resources as sent on the wire. */
export type AllocatedSharedResources = z.infer<typeof AllocatedSharedResourcesSchema>;

/** A task's lifecycle hook: `prestart`, `poststart` or `poststop`, optionally as a sidecar. */
export const TaskLifecycleSchema = z.object({
  Hook: goString(),
  Sidecar: goBoolField(),
});

/** A task lifecycle as sent on the wire. */
export type TaskLifecycle = z.infer<typeof TaskLifecycleSchema>;

/**
 * The resources the scheduler assigned to an allocation: per task (`Tasks`, keyed by task name),
 * each task's lifecycle (`null` for a main task), and what the group shares.
 */
export const AllocatedResourcesSchema = z.object({
  Tasks: goMap(AllocatedTaskResourcesSchema),
  TaskLifecycles: goMap(TaskLifecycleSchema.nullable()),
  Shared: AllocatedSharedResourcesSchema.default({}),
});

/** Allocated resources as sent on the wire. */
export type AllocatedResources = z.infer<typeof AllocatedResourcesSchema>;
