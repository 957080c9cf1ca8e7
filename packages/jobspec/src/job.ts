// A whole jobspec to the API's Job, as jobspec2's ParseWithConfig: variables and locals first,
// then the one `job` block, then normalizeJob's fixes (parse_job.go).
import { JobspecError } from './errors.js';
import { Budget } from './evaluate.js';
import { parseHclBody } from './hcl.js';
import { decodeStruct } from './mapping.js';
import { isObject, type Value, type ValueObject } from './value.js';
import {
  assignVariables,
  declareVariables,
  isPlainObject,
  localValues,
  variableValues,
} from './variables.js';

/** Options of {@link parseJobspec}. */
export interface ParseJobspecOptions {
  /** A variables file's text (`name = value` lines), as the parse API's `Variables`. */
  variables?: string;
  /** The file name in hcl's messages (Nomad's parse API uses `input.hcl`). */
  filename?: string;
}

const TOP_LEVEL = new Set(['job', 'variable', 'variables', 'locals']);

/**
 * Parses an HCL2 jobspec into the API's Job (not canonicalized), as Nomad's jobspec2 package
 * does. Rejects with a {@link JobspecError} carrying hcl's or Nomad's message.
 */
export async function parseJobspec(
  hcl: string,
  options: ParseJobspecOptions = {},
): Promise<ValueObject> {
  const filename = options.filename ?? 'input.hcl';
  // Nomad reads a body starting with `{` (after spaces) as HCL's JSON syntax; berth cannot.
  if (hcl.replace(/^ +/, '').startsWith('{')) {
    throw new JobspecError(
      'JSON jobspecs (HCL JSON syntax) are not supported: send the job as HCL2, or its API JSON to /v1/jobs',
    );
  }
  checkNesting(hcl);
  checkNesting(options.variables ?? '');
  const body = await parseHclBody(filename, hcl);
  const budget = new Budget();
  const variables = await declareVariables(body, budget);
  await assignVariables(variables, options.variables ?? '', budget);
  for (const [name, value] of Object.entries(body)) {
    if (TOP_LEVEL.has(name)) continue;
    throw new JobspecError(
      Array.isArray(value) || isPlainObject(value)
        ? `Unsupported block type; Blocks of type "${name}" are not expected here.`
        : `Unsupported argument; An argument named "${name}" is not expected here.`,
    );
  }
  const vars = await variableValues(variables, budget);
  const scope = localValues(body, vars, budget);
  const jobs = body['job'];
  if (jobs === undefined) throw new JobspecError('Missing job block; A job block is required');
  if (!isPlainObject(jobs)) {
    throw new JobspecError('Missing name for job; All job blocks must have 1 labels (name).');
  }
  const entries = Object.entries(jobs).flatMap(([label, bodies]) =>
    (Array.isArray(bodies) ? (bodies as unknown[]) : [bodies]).map((b) => [label, b] as const),
  );
  if (entries.length > 1) {
    throw new JobspecError('Duplicate job block; Only one block of type "job" is allowed.');
  }
  const [label, jobBody] = entries[0]!;
  if (!isPlainObject(jobBody)) throw new JobspecError('Invalid job block.');
  const job = await decodeStruct('Job', jobBody, undefined, { scope, budget, depth: 0 });
  normalizeJob(job, label);
  return job;
}

/**
 * Deepest nesting of brackets a jobspec may have (real jobspecs nest about ten deep). The parser
 * recurses per level: thousands of levels overflow its stack and that of JSON.parse after it.
 * Brackets inside strings count too, which only makes the bound a little stricter.
 */
export const MAX_NESTING = 256;

function checkNesting(text: string): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b || c === 0x28) {
      if (++depth > MAX_NESTING) {
        throw new JobspecError(
          `Nesting too deep; the jobspec nests blocks or values more than ${MAX_NESTING} levels deep.`,
        );
      }
    } else if ((c === 0x7d || c === 0x5d || c === 0x29) && depth > 0) {
      depth--;
    }
  }
}

function objects(value: Value | undefined): ValueObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** jobspec2's normalizeJob. */
function normalizeJob(job: ValueObject, label: string): void {
  job['Name'] ??= label;
  job['ID'] ??= label;
  const periodic = job['Periodic'];
  if (isObject(periodic) && (periodic['Spec'] !== undefined || periodic['Specs'] !== undefined)) {
    periodic['SpecType'] = 'cron';
  }
  const jobVault = isObject(job['Vault']) ? normalizeVault(job['Vault']) : undefined;
  delete job['Vault'];
  // Tasks written directly in the job each get a group of their own, first.
  const alone = objects(job['Tasks']).map((task): ValueObject => ({
    Name: task['Name']!,
    Tasks: [task],
  }));
  delete job['Tasks'];
  if (alone.length > 0) job['TaskGroups'] = [...alone, ...objects(job['TaskGroups'])];
  for (const group of objects(job['TaskGroups'])) {
    const groupVault = isObject(group['Vault']) ? group['Vault'] : undefined;
    delete group['Vault'];
    const scaling = group['Scaling'];
    if (isObject(scaling) && (scaling['Type'] === undefined || scaling['Type'] === '')) {
      scaling['Type'] = 'horizontal';
    }
    normalizePorts(objects(group['Networks']));
    for (const task of objects(group['Tasks'])) {
      const resources = task['Resources'];
      if (isObject(resources)) normalizePorts(objects(resources['Networks']));
      for (const template of objects(task['Templates'])) normalizeTemplate(template);
      if (isObject(task['Vault'])) normalizeVault(task['Vault']);
      else if (groupVault !== undefined) task['Vault'] = normalizeVault({ ...groupVault });
      else if (jobVault !== undefined) task['Vault'] = { ...jobVault };
      for (const policy of objects(task['ScalingPolicies'])) {
        // Nomad names a task's scaling policies by resource: `scaling "cpu"` is vertical_cpu.
        const kind = policy['Type'];
        if (kind === 'cpu' || kind === 'mem') policy['Type'] = `vertical_${kind}`;
      }
      // COMPAT as Nomad: the default identity (no name, or "default") moves to Task.Identity.
      const identities = objects(task['Identities']);
      const i = identities.findIndex(
        (w) => w['Name'] === undefined || w['Name'] === '' || w['Name'] === 'default',
      );
      if (i >= 0) {
        task['Identity'] = identities[i]!;
        identities.splice(i, 1);
        task['Identities'] = identities;
      }
    }
  }
}

function normalizeVault(vault: ValueObject): ValueObject {
  vault['Env'] ??= true;
  vault['DisableFile'] ??= false;
  vault['ChangeMode'] ??= 'restart';
  return vault;
}

/** Ports with a static value are reserved ports; the rest stay dynamic. */
function normalizePorts(networks: ValueObject[]): void {
  for (const network of networks) {
    const ports = objects(network['DynamicPorts']);
    if (ports.length === 0) continue;
    const reserved = ports.filter((p) => typeof p['Value'] === 'number' && p['Value'] > 0);
    const dynamic = ports.filter((p) => !reserved.includes(p));
    network['DynamicPorts'] = dynamic.length === 0 ? null : dynamic;
    network['ReservedPorts'] = reserved.length === 0 ? null : reserved;
  }
}

const SECOND = 1_000_000_000;

function normalizeTemplate(template: ValueObject): void {
  template['ChangeMode'] ??= 'restart';
  template['Perms'] ??= '0644';
  template['Splay'] ??= 5 * SECOND;
  template['ErrMissingKey'] ??= false;
  const script = template['ChangeScript'];
  if (isObject(script)) {
    script['Args'] ??= [];
    script['Timeout'] ??= 5 * SECOND;
    script['FailOnError'] ??= false;
    script['RunOnFirstRender'] ??= false;
  }
}
