// Nomad's tasksUpdated (scheduler/util.go): whether a job change to a task group needs its
// allocations replaced (destructive) rather than updated in place — tasks added or removed,
// drivers, users, config, env, artifacts, templates, meta, networks, resources, ephemeral disk.
import type { Job, Resources, Task, TaskGroup } from '@berth/contract';

function isEmpty(v: unknown): boolean {
  return (
    v === null ||
    v === undefined ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)
  );
}

/** Structural equality where a nil map or slice equals an empty one, as Go's comparisons do. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isEmpty(a) && isEmpty(b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!sameValue(ao[k], bo[k])) return false;
  return true;
}

function combinedMeta(job: Job, tg: TaskGroup, task: Task): Record<string, string> {
  return { ...(job.Meta ?? {}), ...(tg.Meta ?? {}), ...(task.Meta ?? {}) };
}

function resourcesChanged(a: Resources | null, b: Resources | null): string | undefined {
  if (!sameValue(a?.Networks, b?.Networks)) return 'task network';
  const fields = ['CPU', 'Cores', 'MemoryMB', 'MemoryMaxMB', 'DiskMB', 'Devices'] as const;
  for (const f of fields) if (!sameValue(a?.[f], b?.[f])) return `task resources ${f}`;
  return undefined;
}

/**
 * What changed destructively in group `group` between two job versions, or `undefined` when
 * the allocations can be updated in place.
 */
export function tasksUpdated(a: Job, b: Job, group: string): string | undefined {
  const ga = a.TaskGroups?.find((g) => g.Name === group);
  const gb = b.TaskGroups?.find((g) => g.Name === group);
  if (ga === undefined || gb === undefined) return 'task group';
  const ta = ga.Tasks ?? [];
  const tb = gb.Tasks ?? [];
  if (ta.length !== tb.length) return 'number of tasks';
  if (!sameValue(ga.EphemeralDisk, gb.EphemeralDisk)) return 'ephemeral disk';
  if (!sameValue(ga.Networks, gb.Networks)) return 'group network';
  if (!sameValue(ga.Volumes, gb.Volumes)) return 'volume request';
  if (ga.RestartPolicy?.RenderTemplates !== gb.RestartPolicy?.RenderTemplates) {
    return 'group restart render_templates';
  }
  for (const at of ta) {
    const bt = tb.find((t) => t.Name === at.Name);
    if (bt === undefined) return 'task deleted';
    if (at.Driver !== bt.Driver) return 'task driver';
    if (at.User !== bt.User) return 'task user';
    if (!sameValue(at.Config, bt.Config)) return 'task config';
    if (!sameValue(at.Env, bt.Env)) return 'task env';
    if (!sameValue(at.Artifacts, bt.Artifacts)) return 'task artifacts';
    if (!sameValue(at.Vault, bt.Vault)) return 'task vault';
    if (!sameValue(at.Templates, bt.Templates)) return 'task templates';
    if (!sameValue(combinedMeta(a, ga, at), combinedMeta(b, gb, bt))) return 'task meta';
    const res = resourcesChanged(at.Resources, bt.Resources);
    if (res !== undefined) return res;
    if ((at.LogConfig?.Disabled ?? false) !== (bt.LogConfig?.Disabled ?? false)) {
      return 'task log disabled';
    }
    if (at.RestartPolicy?.RenderTemplates !== bt.RestartPolicy?.RenderTemplates) {
      return 'task restart render_templates';
    }
  }
  return undefined;
}
