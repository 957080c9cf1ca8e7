// How a JSON-encoded Nomad object looks to go-bexpr, which walks the Go structs themselves with
// reflection (through mitchellh/pointerstructure). JSON alone loses three distinctions that change
// bexpr's answers, so they are restored here from Nomad's field names:
//   * an object is a struct (a missing field is an error) or a map (a missing key is "not present");
//   * `null` is a nil pointer (reflect kind `invalid`), a nil map or a nil slice;
//   * a number is an `int`, `int64`, `uint64` or `float64` (which strconv function coerces the
//     filter's value, and the kind named in errors).
// Free-form values (`Task.Config`, `map[string]interface{}`) hold maps, `[]interface{}` and float64.

import { goQuote } from '@berth/contract';
import { parseGoInt } from './go-strconv.js';

/** Go reflect kinds as bexpr sees them (after following pointers). */
export type Kind =
  | 'struct'
  | 'map'
  | 'slice'
  | 'string'
  | 'bool'
  | 'int'
  | 'int64'
  | 'uint64'
  | 'float64'
  | 'invalid';

/** What Go type stands behind a JSON value. */
export type Shape =
  | { readonly t: 'auto' } // a struct field (or element) whose Go type follows the JSON
  | { readonly t: 'pointer' } // a pointer: null is a nil pointer
  | { readonly t: 'map'; readonly value: Shape; readonly valueType?: string }
  | { readonly t: 'slice'; readonly elem: Shape }
  | { readonly t: 'any' } // interface{}
  | { readonly t: 'number'; readonly kind: 'int64' | 'uint64' | 'float64' };

const AUTO: Shape = { t: 'auto' };
const POINTER: Shape = { t: 'pointer' };
const ANY: Shape = { t: 'any' };
const mapOf = (value: Shape, valueType?: string): Shape =>
  valueType === undefined ? { t: 'map', value } : { t: 'map', value, valueType };
const STRING_MAP = mapOf(AUTO, 'string');
const INT_MAP = mapOf(AUTO, 'int');
const FLOAT: Shape = { t: 'number', kind: 'float64' };

/** Nomad struct fields that are Go maps, by field name, with the shape of their values. */
const MAP_FIELDS: ReadonlyMap<string, Shape> = new Map<string, Shape>([
  ...['Meta', 'Env', 'Details', 'Attributes', 'Links', 'CanaryMeta', 'TaggedAddresses'].map(
    (name) => [name, STRING_MAP] as const,
  ),
  ...['GetterOptions', 'GetterHeaders', 'SignedIdentities'].map(
    (name) => [name, STRING_MAP] as const,
  ),
  ...[
    'NodesAvailable',
    'ClassFiltered',
    'ConstraintFiltered',
    'ClassExhausted',
    'DimensionExhausted',
  ].map((name) => [name, INT_MAP] as const),
  ['QueuedAllocations', INT_MAP],
  ['ClassEligibility', mapOf(AUTO, 'bool')],
  ['Scores', mapOf(FLOAT, 'float64')],
  ['Config', mapOf(ANY, 'interface {}')],
  ['Header', mapOf({ t: 'slice', elem: AUTO }, '[]string')],
  ...[
    'TaskStates',
    'TaskResources',
    'Tasks',
    'TaskLifecycles',
    'ResourcesExhausted',
    'Volumes',
    'Drivers',
    'HostVolumes',
    'HostNetworks',
    'CSIControllerPlugins',
    'CSINodePlugins',
    'FailedTGAllocs',
    'TaskGroups',
    'Summary',
  ].map((name) => [name, mapOf(AUTO)] as const),
]);

/** Fields that may be a map or a slice depending on the struct (`TaskGroup.Tasks` is a slice). */
const MAP_OR_SLICE = new Set(['Tasks', 'TaskGroups']);

const NIL_SLICE: Shape = { t: 'slice', elem: AUTO };

/**
 * The shape of `Tasks` or `TaskGroups` in the struct reached through field `holder`. They are
 * slices in Job and TaskGroup and maps in AllocatedResources (and Deployment, which no filtered
 * list holds); a `null` one is therefore a nil slice, unless it is AllocatedResources' `Tasks`.
 */
function mapOrSliceShape(part: string, json: unknown, holder: string | undefined): Shape {
  if (Array.isArray(json)) return AUTO;
  if (json === null || json === undefined) {
    return part === 'Tasks' && holder === 'AllocatedResources' ? fieldShape(part) : NIL_SLICE;
  }
  return fieldShape(part);
}

/** Nomad struct fields that are pointers (to structs, or `*bool` and the like). */
const POINTER_FIELDS = new Set([
  // Allocation
  'Job',
  'Resources',
  'SharedResources',
  'AllocatedResources',
  'Metrics',
  'DeploymentStatus',
  'RescheduleTracker',
  'NetworkStatus',
  // DesiredTransition, AllocDeploymentStatus
  'Migrate',
  'Reschedule',
  'ForceReschedule',
  'NoShutdownDelay',
  'MigrateDisablePlacement',
  'Healthy',
  // Job, TaskGroup, Task, Service
  'Periodic',
  'ParameterizedJob',
  'Multiregion',
  'UI',
  'VersionTag',
  'Update',
  'Scaling',
  'RestartPolicy',
  'ReschedulePolicy',
  'EphemeralDisk',
  'Disconnect',
  'Consul',
  'Vault',
  'DispatchPayload',
  'Lifecycle',
  'LogConfig',
  'CSIPluginConfig',
  'Identity',
  'Schedule',
  'ShutdownDelay',
  'StopAfterClientDisconnect',
  'MaxClientDisconnect',
  'Connect',
  'SidecarService',
  'SidecarTask',
  'Gateway',
  'Proxy',
  'CheckRestart',
  'NUMA',
  'DNS',
  'TaskHandle',
  // Node, Evaluation
  'NodeResources',
  'ReservedResources',
  'DrainStrategy',
  'LastDrain',
  'PlanAnnotations',
]);

const FLOAT_FIELDS = new Set(['NormScore', 'Score']);
const UINT_FIELDS = new Set(['Version', 'JobVersion', 'Restarts', 'Index']);

// Shared, as fieldShape runs for every struct field a filter reads.
const UINT64: Shape = { t: 'number', kind: 'uint64' };
const INT64: Shape = { t: 'number', kind: 'int64' };

/** The shape of struct field `name`. */
function fieldShape(name: string): Shape {
  const map = MAP_FIELDS.get(name);
  if (map) return map;
  if (POINTER_FIELDS.has(name)) return POINTER;
  if (FLOAT_FIELDS.has(name)) return FLOAT;
  if (UINT_FIELDS.has(name) || name.endsWith('Index')) return UINT64;
  if (name.endsWith('Time')) return INT64;
  return AUTO;
}

/** A value reached in the datum: the JSON and the Go type it stands for. */
export interface GoValue {
  readonly json: unknown;
  readonly shape: Shape;
}

export const rootValue = (json: unknown): GoValue => ({ json, shape: AUTO });

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The reflect kind of a value once pointers are followed. */
export function kindOf(v: GoValue): Kind {
  const { json, shape } = v;
  if (json === null || json === undefined) {
    if (shape.t === 'map') return 'map';
    if (shape.t === 'slice') return 'slice';
    if (shape.t === 'pointer' || shape.t === 'any') return 'invalid';
    // An unlisted nullable field: a slice is Nomad's most common nullable non-pointer.
    return 'slice';
  }
  if (typeof json === 'string') return 'string';
  if (typeof json === 'boolean') return 'bool';
  if (typeof json === 'number') {
    if (shape.t === 'number') return shape.kind;
    if (shape.t === 'any' || !Number.isInteger(json)) return 'float64';
    return 'int';
  }
  if (Array.isArray(json)) return 'slice';
  if (shape.t === 'map' || shape.t === 'any') return 'map';
  return 'struct';
}

/** The shape of the values of a map (or the elements of a slice) value. */
function childShape(v: GoValue, kind: Kind): Shape {
  const { shape } = v;
  if (shape.t === 'any') return ANY;
  if (kind === 'map' && shape.t === 'map') return shape.value;
  if (kind === 'slice' && shape.t === 'slice') return shape.elem;
  return AUTO;
}

/** Whether a slice holds `interface{}` elements (bexpr's `in` treats those one by one). */
export const isInterfaceSlice = (v: GoValue) => v.shape.t === 'any';

/** The elements of a slice value (nil slice: none). */
export function sliceItems(v: GoValue): GoValue[] {
  const elem = childShape(v, 'slice');
  return Array.isArray(v.json) ? (v.json as unknown[]).map((json) => ({ json, shape: elem })) : [];
}

/** The entries of a map value (nil map: none). */
export function mapEntries(v: GoValue): Array<[string, GoValue]> {
  const value = childShape(v, 'map');
  return isObject(v.json)
    ? Object.entries(v.json).map(([k, json]) => [k, { json, shape: value }])
    : [];
}

/** The Go type name `%s` of a reflect.Type prints, as near as JSON allows. */
export function typeName(v: GoValue): string {
  const kind = kindOf(v);
  switch (kind) {
    case 'map': {
      if (v.shape.t === 'any') return 'map[string]interface {}';
      if (v.shape.t === 'map' && v.shape.valueType) return `map[string]${v.shape.valueType}`;
      return `map[string]${sameOr(
        mapEntries(v).map(([, e]) => typeName(e)),
        'interface {}',
      )}`;
    }
    case 'slice': {
      if (isInterfaceSlice(v)) return '[]interface {}';
      return `[]${sameOr(sliceItems(v).map(typeName), 'interface {}')}`;
    }
    case 'invalid':
      return '<nil>';
    default:
      return kind;
  }
}

const sameOr = (names: string[], fallback: string) =>
  names.length > 0 && names.every((n) => n === names[0]) ? (names[0] as string) : fallback;

/** pointerstructure's rendering of a path: `/a/b`, with `~` as `~0` and `/` as `~1`. */
export const pointerText = (parts: readonly string[]) =>
  parts.length === 0
    ? ''
    : `/${parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;

/** A failed lookup; `notFound` when pointerstructure's error wraps ErrNotFound. */
export class LookupError extends Error {
  constructor(
    message: string,
    readonly notFound: boolean,
  ) {
    super(message);
  }
}

function partError(parts: readonly string[], i: number, detail: string, notFound: boolean) {
  return new LookupError(`${pointerText(parts)} at part ${i}: ${detail}`, notFound);
}

/** pointerstructure's Pointer.Get over the Go view of a JSON value. */
export function lookup(root: GoValue, parts: readonly string[]): GoValue {
  let current = root;
  // The struct field the current value was reached through (kept across slice indexes and map
  // keys): which struct holds a `Tasks` field decides its type.
  let holder: string | undefined;
  // A plain loop: this runs for every selector of every item a filter reads.
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const kind = kindOf(current);
    switch (kind) {
      case 'struct': {
        const obj = current.json as Record<string, unknown>;
        if (!Object.hasOwn(obj, part))
          throw partError(
            parts,
            i,
            `couldn't find key: struct field with name ${goQuote(part)}`,
            true,
          );
        const json = obj[part];
        current = {
          json,
          shape: MAP_OR_SLICE.has(part) ? mapOrSliceShape(part, json, holder) : fieldShape(part),
        };
        holder = part;
        continue;
      }
      case 'map': {
        const obj = current.json;
        if (!isObject(obj) || !Object.hasOwn(obj, part))
          throw partError(parts, i, `couldn't find key ${goQuote(part)}`, true);
        current = { json: obj[part], shape: childShape(current, 'map') };
        continue;
      }
      case 'slice': {
        let index: number;
        try {
          index = Number(parseGoInt(part === '' ? '0' : part));
        } catch {
          throw partError(parts, i, `couldn't convert value ${goQuote(part)} to type int`, false);
        }
        const items = sliceItems(current);
        if (index < 0 || index >= items.length) {
          throw partError(
            parts,
            i,
            `index ${index} is out of range (length = ${items.length})`,
            false,
          );
        }
        current = items[index] as GoValue;
        continue;
      }
      default:
        throw new LookupError(
          `${pointerText(parts)}: at part ${i}, invalid value kind: ${kind}`,
          false,
        );
    }
  }
  return current;
}
