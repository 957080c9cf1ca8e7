// Nomad's NodeListStub (nomad/structs/structs.go): the list view of a node.
import { z } from 'zod';
import {
  ClientHostVolumeConfigSchema,
  DrainMetadataSchema,
  DriverInfoSchema,
  NodeReservedResourcesSchema,
  NodeResourcesSchema,
  NodeSchedulingEligibilitySchema,
  NodeSchedulingEligibility,
  NodeStatusSchema,
} from './node.js';
import { goBoolField, goInt, goMap, goPtr, goString, goStringMap } from './wire.js';

const NodeListStubShape = {
  Address: goString(),
  ID: z.string(),
  Attributes: goStringMap(),
  Datacenter: goString(),
  Name: goString(),
  NodePool: goString(),
  NodeClass: goString(),
  Version: goString(),
  Drain: goBoolField(),
  SchedulingEligibility: NodeSchedulingEligibilitySchema.default(
    NodeSchedulingEligibility.Eligible,
  ),
  Status: NodeStatusSchema,
  StatusDescription: goString(),
  Drivers: goMap(DriverInfoSchema),
  HostVolumes: goMap(ClientHostVolumeConfigSchema),
  NodeResources: goPtr(NodeResourcesSchema),
  ReservedResources: goPtr(NodeReservedResourcesSchema),
  LastDrain: goPtr(DrainMetadataSchema),
  CreateIndex: goInt(),
  ModifyIndex: goInt(),
};

/** The zod type of {@link NodeListStubSchema} (named, so declaration files stay small). */
export interface NodeListStubSchemaType extends z.ZodObject<typeof NodeListStubShape> {}

/**
 * One item of `GET /v1/nodes`. `Address` is the node's IP (its `unique.network.ip-address`
 * attribute), `Version` its agent version. `Attributes` is only sent with `os=true`, and then holds
 * only `os.name` and `os.version`; `NodeResources` and `ReservedResources` only with
 * `resources=true`. Absent, they parse to `null`.
 */
export const NodeListStubSchema: NodeListStubSchemaType = z.object(NodeListStubShape);

/** A node list stub as sent on the wire. */
export type NodeListStub = z.infer<typeof NodeListStubSchema>;

/** The body of `GET /v1/nodes`: never `null`, `[]` when empty. */
export const NodeListSchema = z.array(NodeListStubSchema);

/** The node list as sent on the wire. */
export type NodeList = z.infer<typeof NodeListSchema>;
