// Resource usage as a node measures it (Nomad's client/structs ResourceUsage, AllocResourceUsage
// and client/hoststats HostStats): the answers of `/v1/client/allocation/:id/stats` and
// `/v1/client/stats`. Every field Nomad sends is present; what a node does not measure is 0 and
// its `Measured` list says what it did measure.
import { z } from 'zod';

const MemoryStatsShape = {
  RSS: z.number(),
  Cache: z.number(),
  Swap: z.number(),
  MappedFile: z.number(),
  Usage: z.number(),
  MaxUsage: z.number(),
  KernelUsage: z.number(),
  KernelMaxUsage: z.number(),
  /** The fields measured (`RSS`, `Swap`...); the others are 0. */
  Measured: z.array(z.string()).nullable(),
};

/** The zod type of {@link MemoryStatsSchema} (named, so declaration files stay small). */
export interface MemoryStatsSchemaType extends z.ZodObject<typeof MemoryStatsShape> {}

/** Memory use of a task or allocation, in bytes (Nomad's MemoryStats). */
export const MemoryStatsSchema: MemoryStatsSchemaType = z.object(MemoryStatsShape);

/** Memory use as sent on the wire. */
export type MemoryStats = z.infer<typeof MemoryStatsSchema>;

const CpuStatsShape = {
  /** Percent of one core spent in kernel mode. */
  SystemMode: z.number(),
  /** Percent of one core spent in user mode. */
  UserMode: z.number(),
  /** MHz consumed: `Percent` of the node's total compute over its cores, as Nomad counts. */
  TotalTicks: z.number(),
  ThrottledPeriods: z.number(),
  ThrottledTime: z.number(),
  /** Percent of one core used (over 100 when several cores are busy). */
  Percent: z.number(),
  /** The fields measured (`System Mode`, `User Mode`, `Percent`); the others are 0. */
  Measured: z.array(z.string()).nullable(),
};

/** The zod type of {@link CpuStatsSchema} (named, so declaration files stay small). */
export interface CpuStatsSchemaType extends z.ZodObject<typeof CpuStatsShape> {}

/** CPU use of a task or allocation since the previous sample (Nomad's CpuStats). */
export const CpuStatsSchema: CpuStatsSchemaType = z.object(CpuStatsShape);

/** CPU use as sent on the wire. */
export type CpuStats = z.infer<typeof CpuStatsSchema>;

/** A device group's statistics (Nomad's DeviceGroupStats); berth measures no devices. */
export const DeviceGroupStatsSchema = z.object({}).passthrough();

const ResourceUsageShape = {
  MemoryStats: MemoryStatsSchema.nullable(),
  CpuStats: CpuStatsSchema.nullable(),
  DeviceStats: z.array(DeviceGroupStatsSchema).nullable(),
};

/** The zod type of {@link ResourceUsageSchema} (named, so declaration files stay small). */
export interface ResourceUsageSchemaType extends z.ZodObject<typeof ResourceUsageShape> {}

/** Memory and CPU use together (Nomad's ResourceUsage). */
export const ResourceUsageSchema: ResourceUsageSchemaType = z.object(ResourceUsageShape);

/** Resource use as sent on the wire. */
export type ResourceUsage = z.infer<typeof ResourceUsageSchema>;

const TaskResourceUsageShape = {
  ResourceUsage: ResourceUsageSchema.nullable(),
  /** When it was measured, unix nanoseconds. */
  Timestamp: z.number(),
  /** Per process, by pid; berth sends null (only the totals are measured per task). */
  Pids: z.record(z.string(), ResourceUsageSchema).nullable(),
};

/** The zod type of {@link TaskResourceUsageSchema} (named, so declaration files stay small). */
export interface TaskResourceUsageSchemaType extends z.ZodObject<typeof TaskResourceUsageShape> {}

/** One task's resource use (Nomad's TaskResourceUsage). */
export const TaskResourceUsageSchema: TaskResourceUsageSchemaType =
  z.object(TaskResourceUsageShape);

/** One task's resource use as sent on the wire. */
export type TaskResourceUsage = z.infer<typeof TaskResourceUsageSchema>;

const AllocResourceUsageShape = {
  /** The sum over the tasks. */
  ResourceUsage: ResourceUsageSchema.nullable(),
  /** Each task's use, by task name. */
  Tasks: z.record(z.string(), TaskResourceUsageSchema),
  /** The newest of the tasks' timestamps, unix nanoseconds. */
  Timestamp: z.number(),
};

/** The zod type of {@link AllocResourceUsageSchema} (named, so declaration files stay small). */
export interface AllocResourceUsageSchemaType extends z.ZodObject<typeof AllocResourceUsageShape> {}

/** An allocation's resource use, per task and in total (Nomad's AllocResourceUsage). */
export const AllocResourceUsageSchema: AllocResourceUsageSchemaType =
  z.object(AllocResourceUsageShape);

/** An allocation's resource use as sent on the wire. */
export type AllocResourceUsage = z.infer<typeof AllocResourceUsageSchema>;

/** The host's memory, in bytes (Nomad's hoststats.MemoryStats). */
export const HostMemoryStatsSchema = z.object({
  Total: z.number(),
  Available: z.number(),
  Used: z.number(),
  Free: z.number(),
});

/** The host's memory as sent on the wire. */
export type HostMemoryStats = z.infer<typeof HostMemoryStatsSchema>;

/** One CPU's use since the previous sample, in percent (Nomad's hoststats.CPUStats). */
export const HostCPUStatsSchema = z.object({
  CPU: z.string(),
  User: z.number(),
  System: z.number(),
  Idle: z.number(),
  TotalPercent: z.number(),
  /** MHz consumed on this CPU. */
  TotalTicks: z.number(),
});

/** One CPU's use as sent on the wire. */
export type HostCPUStats = z.infer<typeof HostCPUStatsSchema>;

/** A file system's use (Nomad's hoststats.DiskStats). */
export const HostDiskStatsSchema = z.object({
  Device: z.string(),
  Mountpoint: z.string(),
  Size: z.number(),
  Used: z.number(),
  Available: z.number(),
  UsedPercent: z.number(),
  InodesUsedPercent: z.number(),
});

/** A file system's use as sent on the wire. */
export type HostDiskStats = z.infer<typeof HostDiskStatsSchema>;

const HostStatsShape = {
  Memory: HostMemoryStatsSchema.nullable(),
  CPU: z.array(HostCPUStatsSchema).nullable(),
  DiskStats: z.array(HostDiskStatsSchema).nullable(),
  /** The file system of the node's data directory, where allocations live. */
  AllocDirStats: HostDiskStatsSchema.nullable(),
  DeviceStats: z.array(DeviceGroupStatsSchema).nullable(),
  /** Seconds since the host booted. */
  Uptime: z.number(),
  /** When it was measured, unix nanoseconds. */
  Timestamp: z.number(),
  /** MHz consumed over every CPU. */
  CPUTicksConsumed: z.number(),
};

/** The zod type of {@link HostStatsSchema} (named, so declaration files stay small). */
export interface HostStatsSchemaType extends z.ZodObject<typeof HostStatsShape> {}

/** A node's host statistics (Nomad's hoststats.HostStats). */
export const HostStatsSchema: HostStatsSchemaType = z.object(HostStatsShape);

/** A node's host statistics as sent on the wire. */
export type HostStats = z.infer<typeof HostStatsSchema>;
