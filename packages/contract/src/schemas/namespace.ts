// Nomad's Namespace: a named scope for jobs, allocations and ACL rules.
import { z } from 'zod';
import { goInt, goString, goStringMap } from './wire.js';

/** The namespace used when a request names none. */
export const DEFAULT_NAMESPACE = 'default';

/** The request namespace meaning "every namespace the caller may see" (list endpoints). */
export const ALL_NAMESPACES = '*';

const NamespaceShape = {
  Name: z.string(),
  Description: goString(),
  Quota: goString(),
  Meta: goStringMap(),
  CreateIndex: goInt(),
  ModifyIndex: goInt(),
};

/** The zod type of {@link NamespaceSchema} (named, so declaration files stay small). */
export interface NamespaceSchemaType extends z.ZodObject<typeof NamespaceShape> {}

/** A namespace. `Quota` names a quota specification (Nomad Enterprise; empty in berth). */
export const NamespaceSchema: NamespaceSchemaType = z.object(NamespaceShape);

/** A namespace as sent on the wire. */
export type Namespace = z.infer<typeof NamespaceSchema>;
