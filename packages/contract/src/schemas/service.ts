// Nomad's Service and ServiceCheck: service registrations of a task or group. Only the common
// fields are modelled; the rest (Connect, tagged addresses, ...) are kept as sent.
import { z } from 'zod';
import { goBoolField, goInt, goSlice, goString, goStringMap } from './wire.js';

const ServiceCheckShape = {
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
};

/** The zod type of {@link ServiceCheckSchema} (named, so declaration files stay small). */
export interface ServiceCheckSchemaType extends z.ZodObject<
  typeof ServiceCheckShape,
  'passthrough'
> {}

/** A health check of a service. `Interval` and `Timeout` are nanoseconds. Unknown keys are kept. */
export const ServiceCheckSchema: ServiceCheckSchemaType = z.object(ServiceCheckShape).passthrough();

/** A service check as sent on the wire. */
export type ServiceCheck = z.infer<typeof ServiceCheckSchema>;

const ServiceShape = {
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
};

/** The zod type of {@link ServiceSchema} (named, so declaration files stay small). */
export interface ServiceSchemaType extends z.ZodObject<typeof ServiceShape, 'passthrough'> {}

/** A service of a task or group (`Provider` is `consul` or `nomad`). Unknown keys are kept. */
export const ServiceSchema: ServiceSchemaType = z.object(ServiceShape).passthrough();

/** A service as sent on the wire. */
export type Service = z.infer<typeof ServiceSchema>;
