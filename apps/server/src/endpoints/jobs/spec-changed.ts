// Nomad's Job.SpecChanged: whether a submitted job differs from the stored one in anything but the
// fields the server manages. Only a changed spec gets a new Version.
import { JobSchema, type Job } from '@berth/contract';
import { withStoredDefaults } from '../stored-defaults.js';

/** Fields the server sets; they never make a new version. */
const SERVER_FIELDS = new Set([
  'Status',
  'StatusDescription',
  'Stable',
  'Version',
  'CreateIndex',
  'ModifyIndex',
  'JobModifyIndex',
  'SubmitTime',
]);

/** True if `next` (canonicalised) differs from `existing` as a specification. */
export function specChanged(stored: Job | undefined, next: Job): boolean {
  if (!stored) return true;
  // A job stored before a field was added lacks it; the resubmitted job has it at its zero value.
  const existing = withStoredDefaults(JobSchema, stored);
  const keys = new Set([...Object.keys(existing), ...Object.keys(next)]);
  for (const key of keys) {
    if (SERVER_FIELDS.has(key)) continue;
    if (
      !deepEqual((existing as Record<string, unknown>)[key], (next as Record<string, unknown>)[key])
    ) {
      return true;
    }
  }
  return false;
}

/** Structural equality of JSON values; key order does not matter, an absent key equals `undefined`. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((v, i) => deepEqual(v, other[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
    if (!deepEqual(x[key], y[key])) return false;
  }
  return true;
}
