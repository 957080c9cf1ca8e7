// What hcl.Decode makes of a policy's text when it fills Nomad's acl.Policy struct, rebuilt
// from js-hcl-parser's generic decoding (hcl.Unmarshal into interface{}): blocks, labels, the
// keys nothing used (`hcl:",unusedKeys"`), Go's type errors, and the missing-label fix-ups of
// Nomad's hclDecode. Labels are case-sensitive, keys are matched case-insensitively, as hcl does.
//
// The generic form loses a few distinctions hcl's struct decoding sees (a second label versus a
// nested block, `x = [{...}]` versus `x {...}`, source order across different keys); for those
// rare shapes the answer follows the reading a person most likely meant.
import type { HclValue } from './hcl.js';

/** A labelled rule as decoded: namespace, node_pool or host_volume. */
export interface RawRule {
  name: string;
  /** False for a block written without a label (Nomad then sees an empty name). */
  labelled: boolean;
  policy: string;
  /** null where `capabilities` is absent (Go's nil slice). */
  capabilities: string[] | null;
}

export interface RawNamespace extends RawRule {
  /** null where there is no `variables` block. */
  variables: RawPath[] | null;
}

export interface RawPath {
  pathSpec: string;
  capabilities: string[] | null;
}

/** One of the unlabelled blocks: agent, node, operator, sentinel, quota, plugin. */
export interface RawCoarse {
  policy: string;
  capabilities: string[] | null;
}

export interface RawPolicy {
  namespaces: RawNamespace[];
  nodePools: RawRule[];
  hostVolumes: RawRule[];
  agent: RawCoarse | null;
  node: RawCoarse | null;
  operator: RawCoarse | null;
  sentinel: RawCoarse | null;
  quota: RawCoarse | null;
  plugin: RawCoarse | null;
  /** The top-level keys and labels no field used, before the rule names are taken out. */
  extraKeys: string[];
}

/**
 * hcl's decoder refusing a value (its PosError): `message` as Go words it; `anchors` are the
 * keys leading to the value in the text, to find its position.
 */
export class DecodeError extends Error {
  constructor(
    message: string,
    readonly anchors: readonly string[],
  ) {
    super(message);
  }
}

/** A Go runtime panic in Nomad's hclDecode fix-ups (an index past the decoded rules). */
export class DecodePanic extends Error {}

type HclObject = { [key: string]: HclValue };

const RULE_TAGS = ['namespace', 'node_pool', 'host_volume'] as const;
type CoarseTag = 'agent' | 'node' | 'operator' | 'sentinel' | 'quota' | 'plugin';

/** Decodes the generic value of a policy's text into Nomad's acl.Policy shape. */
export function decodePolicy(root: HclValue): RawPolicy {
  const top = isObject(root) ? root : {};
  const extraKeys = topLevelKeys(top);
  const used = (tag: string) => {
    const at = extraKeys.findIndex((key) => equalFold(key, tag));
    if (at >= 0) extraKeys.splice(at, 1);
  };
  const valuesOf = (tag: string) => {
    const found = Object.entries(top).filter(([key]) => equalFold(key, tag));
    if (found.length > 0) used(tag);
    return found;
  };

  const namespaces = decodeRules('namespace', valuesOf('namespace'), extraKeys, decodeNamespace);
  const nodePools = decodeRules('node_pool', valuesOf('node_pool'), extraKeys, decodeRule);
  const hostVolumes = decodeRules('host_volume', valuesOf('host_volume'), extraKeys, decodeRule);
  const coarse = (tag: CoarseTag) => decodeCoarse(tag, valuesOf(tag));
  const policy: RawPolicy = {
    namespaces,
    nodePools,
    hostVolumes,
    agent: coarse('agent'),
    node: coarse('node'),
    operator: coarse('operator'),
    sentinel: coarse('sentinel'),
    quota: coarse('quota'),
    plugin: coarse('plugin'),
    extraKeys,
  };
  return policy;
}

/**
 * Every top-level key and label as hcl lists them for `unusedKeys`: a block `namespace "x" {}`
 * gives `namespace` and `x`, a repeated `node {}` gives `node` twice.
 */
function topLevelKeys(top: HclObject): string[] {
  const keys: string[] = [];
  for (const [key, value] of Object.entries(top)) {
    if (!isBlockList(value)) {
      keys.push(key);
      continue;
    }
    const labelled = RULE_TAGS.some((tag) => equalFold(key, tag));
    for (const block of value) {
      keys.push(key);
      if (labelled && isLabelled(block)) keys.push(...Object.keys(block));
    }
  }
  return keys;
}

/** Decodes one rule: `name` is Go's path to it, `key` the block keyword as the text spells it. */
type RuleDecoder<T> = (name: string, label: string, bodies: HclObject[], key: string) => T;

/**
 * The blocks of one labelled kind, in order. A block without a label becomes a rule with an
 * empty name (Nomad's fix-up), or, when it is also empty, the index panic Nomad recovers.
 */
function decodeRules<T extends RawRule>(
  tag: string,
  entries: [string, HclValue][],
  extraKeys: string[],
  decode: RuleDecoder<T>,
): T[] {
  const rules: T[] = [];
  let items = 0;
  const emptyUnlabelled: number[] = [];
  for (const [key, value] of entries) {
    if (!Array.isArray(value)) {
      throw new DecodeError('unknown slice type: *ast.LiteralType', [key]);
    }
    if (!isBlockList(value)) {
      // `namespace = [...]`: its first element is already not a block hcl can decode.
      const first = value[0];
      if (first === undefined) continue;
      const name = `root.${tag}[0]`;
      throw new DecodeError(
        isObject(first)
          ? `${name}: Name asked for 'key', impossible`
          : `${name}: not an object type for struct (${astType(first)})`,
        [key],
      );
    }
    for (const block of value) {
      // hclDecode drops one `namespace` key for every block after the first.
      if (items > 0) removeExact(extraKeys, tag);
      if (isLabelled(block)) {
        for (const [label, bodies] of Object.entries(block)) {
          rules.push(decode(`root.${tag}[${rules.length}]`, label, bodies as HclObject[], key));
        }
      } else if (Object.keys(block).length === 0) {
        emptyUnlabelled.push(items);
      } else {
        const rule = decode(`root.${tag}[${rules.length}]`, '', [block], key);
        rules.push({ ...rule, labelled: false });
      }
      items++;
    }
  }
  for (const index of emptyUnlabelled) {
    const rule = rules[index];
    if (rule === undefined) {
      throw new DecodePanic(
        `runtime error: index out of range [${index}] with length ${rules.length}`,
      );
    }
    // Nomad's fix-up blanks the name of whichever rule sits at the block's index.
    rules[index] = { ...rule, name: '', labelled: false };
  }
  return rules;
}

function decodeRule(name: string, label: string, bodies: HclObject[], key: string): RawRule {
  return {
    name: label,
    labelled: true,
    policy: decodeStringField(name, bodies, [key, label]),
    capabilities: decodeListField(name, bodies, [key, label]),
  };
}

function decodeNamespace(
  name: string,
  label: string,
  bodies: HclObject[],
  key: string,
): RawNamespace {
  const rule = decodeRule(name, label, bodies, key);
  let variables: RawPath[] | null = null;
  for (const body of bodies) {
    for (const [field, value] of Object.entries(body)) {
      if (!equalFold(field, 'variables')) continue;
      variables ??= [];
      variables.push(...decodeVariables(`${name}.variables`, value, [key, label, field]));
    }
  }
  return { ...rule, variables };
}

/** A `variables` block: its `path "<spec>" {}` blocks (Nomad's VariablesPolicy). */
function decodeVariables(name: string, value: HclValue, anchors: string[]): RawPath[] {
  if (!Array.isArray(value)) {
    throw new DecodeError(`${name}: not an object type for struct (*ast.LiteralType)`, anchors);
  }
  if (!isBlockList(value)) {
    throw new DecodeError(`${name}: not an object type for struct (*ast.ListType)`, anchors);
  }
  const paths: RawPath[] = [];
  const emptyUnlabelled: number[] = [];
  let items = 0;
  for (const body of value) {
    for (const [key, pathValue] of Object.entries(body)) {
      if (!equalFold(key, 'path')) continue;
      if (!Array.isArray(pathValue)) {
        throw new DecodeError('unknown slice type: *ast.LiteralType', [...anchors, key]);
      }
      if (!isBlockList(pathValue)) {
        const first = pathValue[0] ?? null;
        throw new DecodeError(
          `${name}.path[0]: not an object type for struct (${astType(first)})`,
          [...anchors, key],
        );
      }
      for (const block of pathValue) {
        if (isLabelled(block)) {
          for (const [spec, bodies] of Object.entries(block)) {
            const pathName = `${name}.path[${paths.length}]`;
            const capabilities = decodeListField(pathName, bodies as HclObject[], [
              ...anchors,
              spec,
            ]);
            paths.push({ pathSpec: spec, capabilities });
          }
        } else if (Object.keys(block).length === 0) {
          emptyUnlabelled.push(items);
        } else {
          paths.push({ pathSpec: '', capabilities: decodeListField(name, [block], anchors) });
        }
        items++;
      }
    }
  }
  for (const index of emptyUnlabelled) {
    if (index >= paths.length) {
      throw new DecodePanic(
        `runtime error: index out of range [${index}] with length ${paths.length}`,
      );
    }
    // Nomad's fix-up blanks the path at the index of the label-less block.
    const path = paths[index];
    if (path !== undefined) path.pathSpec = '';
  }
  return paths;
}

/** agent, node, operator, sentinel, quota or plugin: null when absent; repeats merge. */
function decodeCoarse(tag: string, entries: [string, HclValue][]): RawCoarse | null {
  if (entries.length === 0) return null;
  const name = `root.${tag}`;
  const bodies: HclObject[] = [];
  for (const [key, value] of entries) {
    if (!Array.isArray(value)) {
      throw new DecodeError(`${name}: not an object type for struct (*ast.LiteralType)`, [key]);
    }
    if (!isBlockList(value)) {
      throw new DecodeError(`${name}: not an object type for struct (*ast.ListType)`, [key]);
    }
    bodies.push(...value);
  }
  const withCapabilities = tag === 'operator' || tag === 'sentinel';
  const anchors = [entries[0]?.[0] ?? tag];
  return {
    policy: decodeStringField(name, bodies, anchors),
    capabilities: withCapabilities ? decodeListField(name, bodies, anchors) : null,
  };
}

/** The `policy` field: the last value written wins, as with Go's repeated assignment. */
function decodeStringField(name: string, bodies: HclObject[], anchors: string[]): string {
  let result = '';
  for (const body of bodies) {
    for (const [key, value] of Object.entries(body)) {
      if (!equalFold(key, 'policy')) continue;
      result = decodeString(`${name}.Policy`, value, [...anchors, key]);
    }
  }
  return result;
}

/** The `capabilities` list: repeated lists append, as hcl decodes into an existing slice. */
function decodeListField(name: string, bodies: HclObject[], anchors: string[]): string[] | null {
  let result: string[] | null = null;
  for (const body of bodies) {
    for (const [key, value] of Object.entries(body)) {
      if (!equalFold(key, 'capabilities')) continue;
      const list = decodeStringList(`${name}.Capabilities`, value, [...anchors, key]);
      result = [...(result ?? []), ...list];
    }
  }
  return result;
}

function decodeString(name: string, value: HclValue, anchors: string[]): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // A block (`policy {}`) reaches the string decoder as its list of items.
  const type = isBlockList(value) ? '*ast.ObjectList' : astType(value);
  throw new DecodeError(`${name}: unknown type for string ${type}`, anchors);
}

function decodeStringList(name: string, value: HclValue, anchors: string[]): string[] {
  if (!Array.isArray(value)) throw new DecodeError('unknown slice type: *ast.LiteralType', anchors);
  if (isBlockList(value)) {
    // `capabilities {}`: an empty block decodes to an empty list, anything in it is refused.
    if (value.every((block) => Object.keys(block).length === 0)) return [];
    throw new DecodeError(`${name}[0]: unknown type for string *ast.ObjectItem`, anchors);
  }
  return value.map((element, i) => {
    if (typeof element === 'string') return element;
    if (typeof element === 'number' || typeof element === 'boolean') return String(element);
    throw new DecodeError(`${name}[${i}]: unknown type for string ${astType(element)}`, anchors);
  });
}

/** The hcl AST node type Go names for a value in its errors. */
function astType(value: HclValue): string {
  if (Array.isArray(value)) return '*ast.ListType';
  if (isObject(value)) return '*ast.ObjectType';
  return '*ast.LiteralType';
}

function isObject(value: HclValue): value is HclObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One or more blocks (`x {}`, repeated): what the generic decoding makes of them. */
function isBlockList(value: HclValue): value is HclObject[] {
  return Array.isArray(value) && value.length > 0 && value.every(isObject);
}

/** A block body that is `{ "<label>": [bodies] }`, i.e. the block had a label. */
function isLabelled(block: HclObject): boolean {
  const values = Object.values(block);
  return values.length > 0 && values.every(isBlockList);
}

function removeExact(keys: string[], key: string): void {
  const at = keys.indexOf(key);
  if (at >= 0) keys.splice(at, 1);
}

/** Go's strings.EqualFold against an ASCII field name (ſ and the Kelvin sign fold to s, k). */
export function equalFold(key: string, field: string): boolean {
  const chars = [...key];
  if (chars.length !== field.length) return false;
  return chars.every((ch, i) => {
    const want = (field[i] ?? '').toLowerCase();
    if (ch.charCodeAt(0) < 0x80) return ch.toLowerCase() === want;
    return (ch === '\u017f' && want === 's') || (ch === '\u212a' && want === 'k');
  });
}
