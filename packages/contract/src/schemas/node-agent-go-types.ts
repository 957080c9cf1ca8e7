// The Go structs behind the node agent's bodies (Nomad's structs.Node and structs.Allocation as a
// client sends them), for the Go-typed decoder: every number is checked as its field's Go type
// (`int64` resources, `uint16` cores, `uint64` indexes and restarts, `time.Duration`...) from the
// literal sent, and a wrong value fails with Go's text, e.g.
// `json: cannot unmarshal number 1.5 into Go struct field NodeMemoryResources.NodeResources.Memory.MemoryMB of type int64`.
// Fields not listed take the decoder's defaults (a number is `int`, 64-bit as on Nomad's servers).
import type { z } from 'zod';
import type { GoStruct } from '../go/json-decode.js';
import { DNSConfigSchema, NetworkResourceSchema, PortSchema } from './resources.js';
import { AllocNetworkStatusSchema } from './network-status.js';
import {
  ClientHostNetworkConfigSchema,
  ClientHostVolumeConfigSchema,
  CSIInfoSchema,
  DrainMetadataSchema,
  DrainStrategySchema,
  DriverInfoSchema,
  NodeCpuResourcesSchema,
  NodeDeviceResourceSchema,
  NodeEventSchema,
  NodeNetworkResourceSchema,
  NodeProcessorResourcesSchema,
  NodeRegistrationSchema,
  NodeReservedResourcesSchema,
  NodeResourcesSchema,
} from './node.js';
import { TaskEventSchema } from './task-event.js';
import { TaskStateSchema } from './task-state.js';

/** The object schema under a `.default(...)` (the inline resource structs of node.ts). */
function inner(schema: z.ZodTypeAny): z.ZodTypeAny {
  const def = schema._def as { innerType?: z.ZodTypeAny };
  return def.innerType ?? schema;
}

const structs = (name: string, types?: Record<string, string>): GoStruct => ({
  name,
  type: `structs.${name}`,
  ...(types ? { types } : {}),
});

const reserved = NodeReservedResourcesSchema.shape;

/** The structs of a node registration, keyed by their zod object schemas. */
export const NODE_GO_STRUCTS: ReadonlyMap<z.ZodTypeAny, GoStruct> = new Map<z.ZodTypeAny, GoStruct>(
  [
    [
      NodeRegistrationSchema,
      structs('Node', {
        StatusUpdatedAt: 'int64',
        LastMissedHeartbeatIndex: 'uint64',
        LastAllocUpdateIndex: 'uint64',
        CreateIndex: 'uint64',
        ModifyIndex: 'uint64',
      }),
    ],
    [
      NodeResourcesSchema,
      structs('NodeResources', {
        Cpu: 'structs.LegacyNodeCpuResources',
        Memory: 'structs.NodeMemoryResources',
        Disk: 'structs.NodeDiskResources',
        Processors: 'structs.NodeProcessorResources',
        Networks: 'structs.Networks',
      }),
    ],
    [NodeProcessorResourcesSchema, structs('NodeProcessorResources')],
    [NodeDeviceResourceSchema, structs('NodeDeviceResource')],
    [NodeNetworkResourceSchema, structs('NodeNetworkResource')],
    [DrainStrategySchema, structs('DrainStrategy', { Deadline: 'time.Duration' })],
    [CSIInfoSchema, structs('CSIInfo')],
    [ClientHostNetworkConfigSchema, structs('ClientHostNetworkConfig')],
    [
      NodeCpuResourcesSchema,
      structs('LegacyNodeCpuResources', {
        CpuShares: 'int64',
        TotalCpuCores: 'uint16',
        ReservableCpuCores: '[]uint16',
      }),
    ],
    [
      inner(NodeResourcesSchema.shape.Memory),
      structs('NodeMemoryResources', { MemoryMB: 'int64' }),
    ],
    [inner(NodeResourcesSchema.shape.Disk), structs('NodeDiskResources', { DiskMB: 'int64' })],
    [
      NetworkResourceSchema,
      structs('NetworkResource', {
        ReservedPorts: '[]structs.Port',
        DynamicPorts: '[]structs.Port',
      }),
    ],
    [PortSchema, structs('Port')],
    [DNSConfigSchema, structs('DNSConfig')],
    [
      NodeReservedResourcesSchema,
      structs('NodeReservedResources', {
        Cpu: 'structs.NodeReservedCpuResources',
        Memory: 'structs.NodeReservedMemoryResources',
        Disk: 'structs.NodeReservedDiskResources',
        Networks: 'structs.NodeReservedNetworkResources',
      }),
    ],
    [
      inner(reserved.Cpu),
      structs('NodeReservedCpuResources', { CpuShares: 'int64', ReservedCpuCores: '[]uint16' }),
    ],
    [inner(reserved.Memory), structs('NodeReservedMemoryResources', { MemoryMB: 'int64' })],
    [inner(reserved.Disk), structs('NodeReservedDiskResources', { DiskMB: 'int64' })],
    [inner(reserved.Networks), structs('NodeReservedNetworkResources')],
    [DriverInfoSchema, structs('DriverInfo')],
    [ClientHostVolumeConfigSchema, structs('ClientHostVolumeConfig')],
    [DrainMetadataSchema, structs('DrainMetadata')],
    [NodeEventSchema, structs('NodeEvent', { CreateIndex: 'uint64' })],
  ],
);

/** The structs of an allocation update, except its root (node-agent.ts adds the update's own). */
export const ALLOC_UPDATE_GO_STRUCTS: ReadonlyMap<z.ZodTypeAny, GoStruct> = new Map<
  z.ZodTypeAny,
  GoStruct
>([
  [TaskStateSchema, structs('TaskState', { Restarts: 'uint64' })],
  [
    TaskEventSchema,
    structs('TaskEvent', {
      Time: 'int64',
      KillTimeout: 'time.Duration',
      StartDelay: 'int64',
      DiskLimit: 'int64',
    }),
  ],
  [AllocNetworkStatusSchema, structs('AllocNetworkStatus')],
  [DNSConfigSchema, structs('DNSConfig')],
]);
