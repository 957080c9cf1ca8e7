// Nomad's Namespace: a named scope for jobs, allocations and ACL rules.
import { z } from 'zod';
import { goInt, goOpaqueStruct, goPtr, goString, goStringMap } from './wire.js';

/** The namespace used when a request names none. */
export const DEFAULT_NAMESPACE = 'default';

/** The request namespace meaning "every namespace the caller may see" (list endpoints). */
export const ALL_NAMESPACES = '*';

// Nomad's per-namespace settings berth does not enforce (task drivers, network modes, node pools,
// Vault and Consul clusters, workload identity claims): a read answers them `null`. Optional in
// the type, so a namespace can be written without them; servers fill them on read.
const NamespaceSettingsShape = {
  Capabilities: goPtr(goOpaqueStruct()).optional(),
  NodePoolConfiguration: goPtr(goOpaqueStruct()).optional(),
  VaultConfiguration: goPtr(goOpaqueStruct()).optional(),
  ConsulConfiguration: goPtr(goOpaqueStruct()).optional(),
  RequiredExtraClaims: goStringMap().optional(),
  OptionalExtraClaims: goStringMap().optional(),
  /** Nomad's hash of the namespace's fields (base64); berth computes none: `null`. */
  Hash: goPtr(z.string()).optional(),
};

const NamespaceShape = {
  Name: z.string(),
  Description: goString(),
  Quota: goString(),
  Meta: goStringMap(),
  CreateIndex: goInt(),
  ModifyIndex: goInt(),
  ...NamespaceSettingsShape,
};

/** The zod type of {@link NamespaceSchema} (named, so declaration files stay small). */
export interface NamespaceSchemaType extends z.ZodObject<typeof NamespaceShape> {}

/** A namespace. `Quota` names a quota specification (Nomad Enterprise; empty in berth). */
export const NamespaceSchema: NamespaceSchemaType = z.object(NamespaceShape);

/** A namespace as sent on the wire. */
export type Namespace = z.infer<typeof NamespaceSchema>;
