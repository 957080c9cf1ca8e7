// Small valid objects for the state store's tests: each goes through its contract schema, so every
// field has its empty value, and a test sets only what it is about.

import {
  AllocationSchema,
  EvaluationSchema,
  JobSchema,
  NodeSchema,
  type Allocation,
  type Evaluation,
  type Job,
  type Node,
} from '@berth/contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let counter = 0;

/** A fresh lower-case UUID-shaped ID; `hex` (up to 8 digits) fixes its first characters. */
export function uuid(hex?: string): string {
  counter++;
  const head = (hex ?? '').padEnd(8, '0');
  const tail = counter.toString(16).padStart(12, '0');
  return `${head}-0000-4000-8000-${tail}`;
}

export function job(overrides: Partial<Job> = {}): Job {
  return JobSchema.parse({ ID: 'web', Namespace: 'default', Version: 0, ...overrides });
}

export function alloc(overrides: Partial<Allocation> = {}): Allocation {
  const j = overrides.Job === undefined ? job() : overrides.Job;
  return AllocationSchema.parse({
    ID: uuid(),
    Namespace: j?.Namespace ?? 'default',
    JobID: j?.ID ?? 'web',
    Job: j,
    TaskGroup: 'web',
    DesiredStatus: 'run',
    ClientStatus: 'pending',
    ...overrides,
  });
}

export function evaluation(overrides: Partial<Evaluation> = {}): Evaluation {
  return EvaluationSchema.parse({
    ID: uuid(),
    Namespace: 'default',
    JobID: 'web',
    Status: 'pending',
    ...overrides,
  });
}

export function node(overrides: Partial<Node> = {}): Node {
  return NodeSchema.parse({ ID: uuid(), Name: 'node', Status: 'ready', ...overrides });
}

/** A temporary directory, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'berth-state-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
