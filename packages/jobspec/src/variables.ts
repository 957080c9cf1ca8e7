// jobspec2's input variables (types.variables.go) and locals: `variable` blocks with a type,
// default and validation rules, the `variables { name = default }` form, values from a variables
// file's `name = value` lines, and `locals` blocks evaluated on first use.
import { JobspecError } from './errors.js';
import type { Budget } from './evaluate.js';
import { evaluateJson, type Scope } from './evaluate.js';
import { parseExpression, parseHclBody, type ExpressionType } from './hcl.js';
import {
  isObject,
  toBoolValue,
  toNumberValue,
  toStringValue,
  type Value,
  type ValueObject,
} from './value.js';

/** A variable's type constraint, as `typeexpr` reads it. */
type TypeConstraint =
  | { kind: 'string' | 'number' | 'bool' | 'any' }
  | { kind: 'list' | 'set' | 'map'; element: TypeConstraint }
  | { kind: 'object' | 'tuple' };

interface Variable {
  name: string;
  type?: TypeConstraint;
  value?: Value;
  validations: { condition: unknown; errorMessage: unknown }[];
}

const UNSET_DETAIL =
  'A used variable must be set or have a default value; see https://developer.hashicorp.com/nomad/docs/reference/hcl2/variables  for details.';

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The body's blocks of one type as hcl2json gives them: `{label: [body, ...]}` or `[body]`. */
function labelled(value: unknown, what: string): [string, Record<string, unknown>][] {
  if (value === undefined) return [];
  if (!isPlainObject(value)) {
    throw new JobspecError(
      `Missing name for ${what}; All ${what} blocks must have 1 labels (name).`,
    );
  }
  const out: [string, Record<string, unknown>][] = [];
  for (const [label, bodies] of Object.entries(value)) {
    for (const body of Array.isArray(bodies) ? bodies : [bodies]) {
      if (!isPlainObject(body)) {
        throw new JobspecError(
          `Unsupported argument; An argument named "${what}" is not expected here.`,
        );
      }
      out.push([label, body]);
    }
  }
  return out;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function typeConstraint(source: unknown): Promise<TypeConstraint> {
  const text = typeof source === 'string' && source.startsWith('${') ? source.slice(2, -1) : source;
  if (typeof text !== 'string') {
    throw new JobspecError(
      'Invalid type specification; A type specification is either a primitive type keyword (bool, number, string) or a complex type constructor call, like list(string).',
    );
  }
  const expr = await parseExpression(text);
  return readType(expr.ast);
}

function readType(node: ExpressionType | undefined): TypeConstraint {
  if (node?.type === 'scopeTraversal' && node.meta.traversal.length === 1) {
    const name = node.meta.fullAccessor;
    if (name === 'string' || name === 'number' || name === 'bool' || name === 'any')
      return { kind: name };
  }
  if (node?.type === 'function') {
    const name = node.meta.name;
    if (name === 'list' || name === 'set' || name === 'map') {
      return { kind: name, element: readType(node.children[0]) };
    }
    if (name === 'object' || name === 'tuple') return { kind: name };
  }
  throw new JobspecError(
    `Invalid type specification; The keyword "${node?.meta.value ?? ''}" is not a valid type specification.`,
  );
}

/** cty's convert.Convert for the constraints above; the message is cty's reason. */
function convert(value: Value, type: TypeConstraint | undefined): Value {
  if (type === undefined || value === null) return value;
  switch (type.kind) {
    case 'any':
    case 'object':
    case 'tuple':
      return value;
    case 'string':
      if (typeof value === 'object') throw new Error('string required');
      return toStringValue(value);
    case 'number':
      try {
        return toNumberValue(value);
      } catch (error) {
        if (!(error instanceof JobspecError)) throw error;
        throw new Error('a number is required');
      }
    case 'bool':
      try {
        return toBoolValue(value);
      } catch (error) {
        if (!(error instanceof JobspecError)) throw error;
        throw new Error('a bool is required');
      }
    case 'list':
    case 'set':
      if (!Array.isArray(value))
        throw new Error(`${type.kind} of ${describe(type.element)} required`);
      return value.map((v) => convert(v, type.element));
    case 'map': {
      if (!isObject(value)) throw new Error(`map of ${describe(type.element)} required`);
      const out: ValueObject = {};
      for (const [k, v] of Object.entries(value)) out[k] = convert(v, type.element);
      return out;
    }
  }
}

function describe(type: TypeConstraint): string {
  return 'element' in type ? `${type.kind} of ${describe(type.element)}` : type.kind;
}

function converted(
  value: Value,
  type: TypeConstraint | undefined,
  fail: (reason: string) => string,
): Value {
  try {
    return convert(value, type);
  } catch (error) {
    if (error instanceof JobspecError || !(error instanceof Error)) throw error;
    throw new JobspecError(fail(error.message));
  }
}

const NO_REFERENCES: Scope = {
  vars: {},
  local: () =>
    Promise.reject(new JobspecError('Variables not allowed; Variables may not be used here.')),
  allowReferences: false,
};

/** Reads the `variable` blocks and `variables` attributes of a jobspec's body. */
export async function declareVariables(
  body: Record<string, unknown>,
  budget: Budget,
): Promise<Map<string, Variable>> {
  const variables = new Map<string, Variable>();
  const add = (variable: Variable): void => {
    if (variables.has(variable.name)) {
      throw new JobspecError(
        `Duplicate variable; Duplicate ${variable.name} variable definition found.`,
      );
    }
    if (!NAME.test(variable.name)) {
      throw new JobspecError(
        'Invalid variable name; A name must start with a letter or underscore and may contain only letters, digits, underscores, and dashes.',
      );
    }
    variables.set(variable.name, variable);
  };
  for (const [name, block] of labelled(body['variable'], 'variable')) {
    for (const key of Object.keys(block)) {
      if (!['type', 'default', 'description', 'validation', 'sensitive'].includes(key)) {
        throw new JobspecError(
          `Unsupported argument; An argument named "${key}" is not expected here.`,
        );
      }
    }
    const type = block['type'] === undefined ? undefined : await typeConstraint(block['type']);
    const variable: Variable = { name, type, validations: [] };
    if (Object.hasOwn(block, 'default')) {
      const value = await evaluateJson(block['default'], NO_REFERENCES, budget);
      variable.value = converted(
        value,
        type,
        (why) =>
          `Invalid default value for variable; This default value is not compatible with the variable's type constraint: ${why}.`,
      );
    }
    const validations = block['validation'];
    for (const rule of Array.isArray(validations)
      ? validations
      : validations === undefined
        ? []
        : [validations]) {
      if (!isPlainObject(rule) || rule['condition'] === undefined) {
        throw new JobspecError(
          'Invalid variable validation specification; validation requires a condition.',
        );
      }
      variable.validations.push({
        condition: rule['condition'],
        errorMessage: rule['error_message'],
      });
    }
    add(variable);
  }
  const plural = body['variables'];
  for (const block of Array.isArray(plural) ? plural : []) {
    if (!isPlainObject(block)) continue;
    for (const [name, json] of Object.entries(block)) {
      add({ name, value: await evaluateJson(json, NO_REFERENCES, budget), validations: [] });
    }
  }
  return variables;
}

/** Applies a variables file (`name = value` lines) to the declared variables. */
export async function assignVariables(
  variables: Map<string, Variable>,
  text: string,
  budget: Budget,
): Promise<void> {
  if (text === '') return;
  let body;
  try {
    body = await parseHclBody('input.hcl', text);
  } catch (error) {
    if (!(error instanceof JobspecError)) throw error;
    throw new JobspecError(`unable to parse var content: ${error.message}`, { cause: error });
  }
  for (const [name] of labelled(body['variable'], 'variable')) {
    throw new JobspecError(
      `Variable declaration in a .var file; A .var file is used to assign values to variables that have already been declared in job files, not to declare new variables. To declare variable "${name}", place this block in one of your job files\n\nTo set a value for this variable in input.hcl, use the definition syntax instead:\n    ${name} = <value>`,
    );
  }
  for (const [name, json] of Object.entries(body)) {
    const variable = variables.get(name);
    // An undeclared name is only a warning in Nomad's parse API (not strict).
    if (variable === undefined) continue;
    const value = await evaluateJson(json, NO_REFERENCES, budget);
    variable.value = converted(
      value,
      variable.type,
      (why) =>
        `Invalid value for variable; The value for ${name} is not compatible with the variable's type constraint: ${why}.`,
    );
  }
}

/** The `var` object: every declared variable's value, each checked by its validation rules. */
export async function variableValues(
  variables: Map<string, Variable>,
  budget: Budget,
): Promise<ValueObject> {
  const vars: ValueObject = {};
  for (const variable of variables.values()) {
    if (variable.value === undefined) {
      throw new JobspecError(`Unset variable "${variable.name}"; ${UNSET_DETAIL}`);
    }
    vars[variable.name] = variable.value;
  }
  for (const variable of variables.values()) {
    const scope: Scope = { vars: { [variable.name]: variable.value! }, local: NO_REFERENCES.local };
    for (const rule of variable.validations) {
      const ok = await evaluateJson(rule.condition, scope, budget);
      if (ok === null) {
        throw new JobspecError(
          'Invalid variable validation result; Validation condition expression must return either true or false, not null.',
        );
      }
      if (!toBoolValue(ok, 'variable validation result')) {
        const message = await evaluateJson(rule.errorMessage ?? '', NO_REFERENCES, budget);
        throw new JobspecError(`Invalid value for variable; ${toStringValue(message)}`);
      }
    }
  }
  return vars;
}

/** The `locals` blocks' values, each evaluated once, on first use, with cycles refused. */
export function localValues(
  body: Record<string, unknown>,
  vars: ValueObject,
  budget: Budget,
): Scope {
  const sources = new Map<string, unknown>();
  const blocks = body['locals'];
  for (const block of Array.isArray(blocks) ? blocks : []) {
    if (!isPlainObject(block)) continue;
    for (const [name, json] of Object.entries(block)) {
      if (sources.has(name)) {
        throw new JobspecError(
          `Duplicate local definition; Local variable "${name}" is defined twice.`,
        );
      }
      sources.set(name, json);
    }
  }
  const values = new Map<string, Promise<Value>>();
  const evaluating = new Set<string>();
  const scope: Scope = {
    vars,
    local: (name) => {
      // Evaluation is one chain of awaits, so a local asked for while it is evaluated is a cycle.
      if (evaluating.has(name)) {
        return Promise.reject(
          new JobspecError(`Invalid local value; local.${name} refers to itself.`),
        );
      }
      const done = values.get(name);
      if (done !== undefined) return done;
      if (!sources.has(name)) {
        return Promise.reject(
          new JobspecError(
            `Unsupported attribute; This object does not have an attribute named "${name}".`,
          ),
        );
      }
      evaluating.add(name);
      const value = evaluateJson(sources.get(name), scope, budget).finally(() =>
        evaluating.delete(name),
      );
      values.set(name, value);
      return value;
    },
  };
  return scope;
}
