// Nomad's Service and ServiceCheck: service registrations of a task or group. Only the common
// fields are modelled; the rest (Connect, tagged addresses, ...) are kept as sent.
import { z } from 'zod';
import { goBoolField, goInt, goSlice, goString, goStringMap } from './wire.js';

/** A health check of a service. `Interval` and `Timeout` are nanoseconds. Unknown keys are kept. */
export const ServiceCheckSchema = z
  .object({
    Name: goString(),
    Type: goString(),
    Command: goString(),
    Args: goSlice(z.string()),
    Path: goString(),
    Protocol: goString(),
    PortLabel: goString(),
    AddressMode: goString(),
    Method: goString(),
    Interval: goInt(),
    Timeout: goInt(),
    InitialStatus: goString(),
    TLSSkipVerify: goBoolField(),
    TaskName: goString(),
  })
  .passthrough();

/** A service check as sent on the wire. */
export type ServiceCheck = z.infer<typeof ServiceCheckSchema>;

/** A service of a task or group (`Provider` is `consul` or `nomad`). Unknown keys are kept. */
export const ServiceSchema = z
  .object({
    Name: goString(),
    TaskName: goString(),
    PortLabel: goString(),
    AddressMode: goString(),
    Address: goString(),
    Provider: goString(),
    Tags: goSlice(z.string()),
    CanaryTags: goSlice(z.string()),
    Meta: goStringMap(),
    Checks: goSlice(ServiceCheckSchema),
  })
  .passthrough();

/** A service as sent on the wire. */
export type Service = z.infer<typeof ServiceSchema>;
