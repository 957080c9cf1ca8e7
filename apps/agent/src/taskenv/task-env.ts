// Nomad's taskenv.Builder (client/taskenv/env.go): the environment of one task (the host's, the
// NOMAD_* variables, the task's own `Env`) and the resolver behind `${...}` interpolation of
// `NOMAD_*`, `attr.*`, `meta.*`, `node.*` and `env.*` in the task's `Config` and `Env`.
import type { Allocation, Node, Task } from '@berth/contract';
import { interpolateDeep, interpolateString, type Resolver } from './interpolate.js';

/** The node fields a task's environment reads. */
export type TaskEnvNode = Pick<
  Node,
  'ID' | 'Name' | 'Datacenter' | 'NodeClass' | 'NodePool' | 'Attributes' | 'Meta'
>;

/** The host paths of an allocation's and a task's directories. */
export interface TaskDirs {
  /** `<alloc>/alloc`, shared by the group's tasks: NOMAD_ALLOC_DIR. */
  allocDir: string;
  /** `<alloc>/<task>/local`: NOMAD_TASK_DIR. */
  localDir: string;
  /** `<alloc>/<task>/secrets`: NOMAD_SECRETS_DIR. */
  secretsDir: string;
}

export interface TaskEnvInput {
  alloc: Allocation;
  task: Task;
  node: TaskEnvNode;
  dirs: TaskDirs;
  /** The agent's environment, inherited by raw_exec tasks (the task's own values win). */
  hostEnv?: Record<string, string | undefined>;
}

export interface TaskEnv {
  /** The complete environment of the task's process. */
  env: Record<string, string>;
  /** The resolver of `${...}` keys. */
  resolve: Resolver;
  /** Interpolates a string. */
  interpolate(text: string): string;
  /** Interpolates every string of the task's `Config`, deeply. */
  interpolateConfig(config: Record<string, unknown>): Record<string, unknown>;
}

/** Builds the task's environment and interpolation, as Nomad's client does before starting it. */
export function buildTaskEnv(input: TaskEnvInput): TaskEnv {
  const nomad = nomadVariables(input);
  const nodeKeys = nodeVariables(input.node, input.alloc.Job?.Region ?? '');

  // The task's Env is interpolated against the host and NOMAD_* values, not against itself.
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.hostEnv ?? {})) if (v !== undefined) base[k] = v;
  Object.assign(base, nomad);
  const env: Record<string, string> = { ...base };
  for (const [k, v] of Object.entries(input.task.Env ?? {})) {
    env[k] = interpolateString(v, (key) => nodeKeys[key] ?? base[key] ?? envKey(key, base));
  }

  const resolve: Resolver = (key) => nodeKeys[key] ?? env[key] ?? envKey(key, env);
  return {
    env,
    resolve,
    interpolate: (text) => interpolateString(text, resolve),
    interpolateConfig: (config) => interpolateDeep(config, resolve) as Record<string, unknown>,
  };
}

/** `env.NAME` reads NAME from the given environment. */
function envKey(key: string, env: Record<string, string>): string | undefined {
  return key.startsWith('env.') ? env[key.slice(4)] : undefined;
}

function nomadVariables({ alloc, task, node, dirs }: TaskEnvInput): Record<string, string> {
  const job = alloc.Job;
  const group = job?.TaskGroups?.find((g) => g.Name === alloc.TaskGroup);
  const resources = alloc.AllocatedResources?.Tasks?.[task.Name];
  const vars: Record<string, string> = {
    NOMAD_ALLOC_ID: alloc.ID,
    NOMAD_SHORT_ALLOC_ID: alloc.ID.slice(0, 8),
    NOMAD_ALLOC_NAME: alloc.Name,
    NOMAD_ALLOC_INDEX: String(allocIndex(alloc.Name)),
    NOMAD_TASK_NAME: task.Name,
    NOMAD_GROUP_NAME: alloc.TaskGroup,
    NOMAD_JOB_ID: alloc.JobID,
    NOMAD_JOB_NAME: job?.Name ?? alloc.JobID,
    NOMAD_NAMESPACE: alloc.Namespace,
    NOMAD_DC: node.Datacenter,
    NOMAD_REGION: job?.Region ?? '',
    NOMAD_ALLOC_DIR: dirs.allocDir,
    NOMAD_TASK_DIR: dirs.localDir,
    NOMAD_SECRETS_DIR: dirs.secretsDir,
    NOMAD_CPU_LIMIT: String(resources?.Cpu?.CpuShares ?? task.Resources?.CPU ?? 0),
    NOMAD_MEMORY_LIMIT: String(resources?.Memory?.MemoryMB ?? task.Resources?.MemoryMB ?? 0),
  };
  if (job?.ParentID) vars['NOMAD_JOB_PARENT_ID'] = job.ParentID;
  // Task meta wins over group meta, which wins over job meta; each key both as written and upper case.
  const meta = { ...(job?.Meta ?? {}), ...(group?.Meta ?? {}), ...(task.Meta ?? {}) };
  for (const [k, v] of Object.entries(meta)) {
    vars[`NOMAD_META_${k}`] = v;
    vars[`NOMAD_META_${k.toUpperCase()}`] = v;
  }
  for (const network of resources?.Networks ?? []) {
    for (const port of [...(network.ReservedPorts ?? []), ...(network.DynamicPorts ?? [])]) {
      const label = port.Label.replace(/[^A-Za-z0-9_]/g, '_');
      vars[`NOMAD_IP_${label}`] = network.IP;
      vars[`NOMAD_PORT_${label}`] = String(port.Value);
      vars[`NOMAD_HOST_PORT_${label}`] = String(port.Value);
      vars[`NOMAD_ADDR_${label}`] = `${network.IP}:${port.Value}`;
    }
  }
  return vars;
}

function nodeVariables(node: TaskEnvNode, region: string): Record<string, string> {
  const vars: Record<string, string> = {
    'node.unique.id': node.ID,
    'node.unique.name': node.Name,
    'node.datacenter': node.Datacenter,
    'node.region': region,
    'node.class': node.NodeClass,
    'node.pool': node.NodePool,
  };
  for (const [k, v] of Object.entries(node.Attributes ?? {})) vars[`attr.${k}`] = v;
  for (const [k, v] of Object.entries(node.Meta ?? {})) vars[`meta.${k}`] = v;
  return vars;
}

/** The index in an allocation name `job.group[3]`. */
function allocIndex(name: string): number {
  const match = /\[(\d+)\]$/.exec(name);
  return match ? Number(match[1]) : 0;
}
