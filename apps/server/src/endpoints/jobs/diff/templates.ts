// Nomad's template diffs: templates matched by destination (`templateDiffs`), each with its
// wait config and change script.
import type { ObjectDiff } from '@berth/contract';
import { Queues } from './by-name.js';
import { sortedObjects } from './fields.js';
import type { JsonObject } from './go-format.js';
import { templateId } from './ids.js';
import {
  fullStructDiff,
  pushDiffs,
  stringSetDiff,
  struct,
  structDiff,
  structs,
} from './objects.js';
import { GO_ZEROS, withZeros } from './specs.js';

function changeScriptDiff(
  old: JsonObject | undefined,
  next: JsonObject | undefined,
  contextual: boolean,
) {
  const diff = structDiff(old, next, 'ChangeScript', contextual);
  if (!diff) return undefined;
  const args = stringSetDiff(old?.Args, next?.Args, 'Args', contextual);
  if (args) diff.Objects = [args];
  return diff;
}

/** One template's diff; undefined when equal. `Uid`/`Gid` count only when set. */
function templateDiff(
  rawOld: JsonObject | undefined,
  rawNext: JsonObject | undefined,
  contextual: boolean,
) {
  const old = withZeros(rawOld, GO_ZEROS.Template);
  const next = withZeros(rawNext, GO_ZEROS.Template);
  const diff = structDiff(old, next, 'Template', contextual);
  if (!diff) return undefined;
  const objects: ObjectDiff[] = [];
  // Nomad names the wait config's diff "Template" too.
  pushDiffs(
    objects,
    fullStructDiff(old?.Wait, next?.Wait, 'Template', contextual),
    changeScriptDiff(struct(old?.ChangeScript), struct(next?.ChangeScript), contextual),
  );
  diff.Objects = objects.length === 0 ? null : objects;
  return diff;
}

/**
 * Templates paired by destination, first unpaired match wins; unpaired old ones were deleted,
 * unpaired new ones added. A lone template on each side is always paired.
 */
export function templateDiffs(old: unknown, next: unknown, contextual: boolean): ObjectDiff[] {
  const a = structs(old);
  const b = structs(next);
  if (a.length === 1 && b.length === 1) {
    const only = templateDiff(a[0], b[0], contextual);
    return only ? [only] : [];
  }
  const taken = new Array<boolean>(b.length).fill(false);
  const byDestination = new Queues(b.map(templateId), taken);
  const diffs: ObjectDiff[] = [];
  for (const template of a) {
    const i = byDestination.first(templateId(template));
    if (i < 0) {
      pushDiffs(diffs, templateDiff(template, undefined, contextual));
      continue;
    }
    taken[i] = true;
    pushDiffs(diffs, templateDiff(template, b[i], contextual));
  }
  b.forEach((template, j) => {
    if (!taken[j]) pushDiffs(diffs, templateDiff(undefined, template, contextual));
  });
  return sortedObjects(diffs) ?? [];
}
