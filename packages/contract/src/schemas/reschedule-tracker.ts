// Nomad's RescheduleTracker (nomad/structs/structs.go): the reschedule history of an allocation.
import { z } from 'zod';
import { goInt, goSlice, goString } from './wire.js';

/**
 * A nanosecond count. The seed document's sample sends `Delay` as a decimal string
 * (`"5000000000"`), so a string of digits is accepted too and parsed to a number.
 */
const nanosLenient = () =>
  z
    .union([z.number(), z.string().regex(/^-?\d+$/, 'Expected a number of nanoseconds')])
    .transform((v) => Number(v))
    .default(0);

const RescheduleEventShape = {
  RescheduleTime: goInt(),
  PrevAllocID: goString(),
  PrevNodeID: goString(),
  Delay: nanosLenient(),
};

/** The zod type of {@link RescheduleEventSchema} (named, so declaration files stay small). */
export interface RescheduleEventSchemaType extends z.ZodObject<typeof RescheduleEventShape> {}

/** One reschedule: when, from which allocation and node, and after what delay (ns). */
export const RescheduleEventSchema: RescheduleEventSchemaType = z.object(RescheduleEventShape);

/** A reschedule event as sent on the wire. */
export type RescheduleEvent = z.infer<typeof RescheduleEventSchema>;

/** The values of `RescheduleTracker.LastReschedule`. */
export const LastRescheduleStatus = {
  None: '',
  Ok: 'ok',
  NoPlacement: 'no placement',
} as const;

const RescheduleTrackerShape = {
  Events: goSlice(RescheduleEventSchema),
  LastReschedule: goString(),
};

/** The zod type of {@link RescheduleTrackerSchema} (named, so declaration files stay small). */
export interface RescheduleTrackerSchemaType extends z.ZodObject<typeof RescheduleTrackerShape> {}

/** The reschedule events of an allocation's lineage, oldest first. */
export const RescheduleTrackerSchema: RescheduleTrackerSchemaType =
  z.object(RescheduleTrackerShape);

/** A reschedule tracker as sent on the wire. */
export type RescheduleTracker = z.infer<typeof RescheduleTrackerSchema>;
