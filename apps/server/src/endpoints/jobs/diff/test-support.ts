// Builders for the diff tests: jobs as JSON (as stored), and expected diffs without the nulls
// every diff carries.
import type { FieldDiff, Job } from '@berth/contract';

/** A job from the fields a test names (the diff reads only what is there). */
export const asJob = (fields: Record<string, unknown>): Job => ({ ID: 'web', ...fields }) as Job;

/** A field diff as the wire has it. */
export const field = (
  Type: FieldDiff['Type'],
  Name: string,
  Old: string,
  New: string,
): FieldDiff => ({ Type, Name, Old, New, Annotations: null });
