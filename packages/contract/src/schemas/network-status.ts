// Nomad's AllocNetworkStatus (nomad/structs/alloc.go): the allocation's network namespace, if any.
import { z } from 'zod';
import { DNSConfigSchema } from './resources.js';
import { goPtr, goString } from './wire.js';

/** The interface and addresses of an allocation's network namespace (bridge/CNI modes). */
export const AllocNetworkStatusSchema = z.object({
  InterfaceName: goString(),
  Address: goString(),
  AddressIPv6: goString(),
  DNS: goPtr(DNSConfigSchema),
});

/** An allocation's network status as sent on the wire. */
export type AllocNetworkStatus = z.infer<typeof AllocNetworkStatusSchema>;
