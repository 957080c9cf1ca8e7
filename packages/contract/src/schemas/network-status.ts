// Nomad's AllocNetworkStatus (nomad/structs/alloc.go): the allocation's network namespace, if any.
import { z } from 'zod';
import { DNSConfigSchema } from './resources.js';
import { goPtr, goString } from './wire.js';

const AllocNetworkStatusShape = {
  InterfaceName: goString(),
  Address: goString(),
  AddressIPv6: goString(),
  DNS: goPtr(DNSConfigSchema),
};

/** The zod type of {@link AllocNetworkStatusSchema} (named, so declaration files stay small). */
export interface AllocNetworkStatusSchemaType extends z.ZodObject<typeof AllocNetworkStatusShape> {}

/** The interface and addresses of an allocation's network namespace (bridge/CNI modes). */
export const AllocNetworkStatusSchema: AllocNetworkStatusSchemaType =
  z.object(AllocNetworkStatusShape);

/** An allocation's network status as sent on the wire. */
export type AllocNetworkStatus = z.infer<typeof AllocNetworkStatusSchema>;
