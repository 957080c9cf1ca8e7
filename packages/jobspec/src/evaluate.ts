// Evaluates HCL expressions over the syntax tree hcl's parser returns, as jobspec2's EvalContext
// does: `var.*` and `local.*` resolve, any other root (NOMAD_TASK_DIR, attr.*, node.*, meta.*,
// env[...]) is left as the "${...}" text the task runtime interpolates later.
//
// Hand-written because no npm package evaluates HCL expressions: the hcl library (and its WASM
// build) parses, and its Go evaluator (cty) is not exposed to JavaScript. The evaluator is small
// and bounded: a depth limit on nesting, a step budget on loops, and size limits on what it builds.
import { JobspecError } from './errors.js';
import { callFunction } from './functions.js';
import { parseExpression, type Expr, type ExpressionType } from './hcl.js';
import {
  checkCollection,
  checkString,
  isObject,
  toBoolValue,
  toNumberValue,
  toStringValue,
  typeName,
  type Value,
  type ValueObject,
} from './value.js';

/** Deepest nesting of expressions evaluated (far more than any jobspec writes). */
export const MAX_DEPTH = 64;

/** Most expression nodes one jobspec may evaluate (loops included). */
export const MAX_STEPS = 1_000_000;

/** What `var.` and `local.` resolve to; `local` values are computed on first use. */
export interface Scope {
  vars: ValueObject;
  local: (name: string) => Promise<Value>;
  /** Names bound by an enclosing `for` expression. */
  bound?: Map<string, Value>;
  /** When false (variable files), any reference is an error, as with hcl's nil context. */
  allowReferences?: boolean;
}

/** A per-parse counter of evaluation steps, shared by every expression of one jobspec. */
export class Budget {
  private steps = 0;
  step(): void {
    if (++this.steps > MAX_STEPS) {
      throw new JobspecError(
        `Expression too complex; evaluating the jobspec took more than ${MAX_STEPS} steps.`,
      );
    }
  }
}

/**
 * Evaluates a value as hcl2json gives it: strings holding "${" or "%{" are templates or whole
 * expressions, other strings literals; lists and objects are evaluated element by element.
 */
export async function evaluateJson(json: unknown, scope: Scope, budget: Budget): Promise<Value> {
  budget.step();
  if (typeof json === 'string') return evaluateText(json, scope, budget);
  if (Array.isArray(json)) {
    const out: Value[] = [];
    for (const item of json) out.push(await evaluateJson(item, scope, budget));
    return out;
  }
  if (typeof json === 'object' && json !== null) {
    const out: ValueObject = {};
    for (const [key, item] of Object.entries(json)) {
      out[key] = await evaluateJson(item, scope, budget);
    }
    return out;
  }
  if (typeof json === 'number' || typeof json === 'boolean' || json === null) return json;
  throw new JobspecError(`Invalid value; unexpected ${typeof json} from the parser.`);
}

/** Evaluates one string from hcl2json's output (see {@link evaluateJson}). */
export async function evaluateText(text: string, scope: Scope, budget: Budget): Promise<Value> {
  if (!text.includes('${') && !text.includes('%{')) return text;
  const expr = await parseText(text);
  return evaluate(expr, expr.ast, scope, budget, 0);
}

/**
 * hcl2json prints a whole-expression attribute as "${<source>}" and a template as its source
 * (escapes `$${` and `%%{` kept). A whole expression is parsed alone; anything else as a heredoc
 * template, where quotes need no escaping, and the newline the heredoc adds is taken off.
 */
async function parseText(text: string): Promise<Expr> {
  if (text.startsWith('${') && text.endsWith('}')) {
    try {
      return await parseExpression(text.slice(2, -1));
    } catch (error) {
      // "${a}-${b}" is a template, not one expression; a real syntax error shows below too.
      if (!(error instanceof JobspecError)) throw error;
    }
  }
  let marker = 'EOT';
  while (text.includes(marker)) marker += '_';
  const expr = await parseExpression(`<<${marker}\n${text}\n${marker}\n`, true);
  return { ...expr, ast: dropHeredocNewline(expr.ast) };
}

function dropHeredocNewline(ast: ExpressionType): ExpressionType {
  if (ast.type !== 'template') return ast;
  const last = ast.children.at(-1);
  if (last?.type !== 'literalValue' || !last.meta.value.endsWith('\n')) return ast;
  const trimmed = { ...last, meta: { ...last.meta, value: last.meta.value.slice(0, -1) } };
  return { ...ast, children: [...ast.children.slice(0, -1), trimmed] };
}

/** Evaluates one node of `expr`'s tree. */
export async function evaluate(
  expr: Expr,
  node: ExpressionType,
  scope: Scope,
  budget: Budget,
  depth: number,
): Promise<Value> {
  budget.step();
  if (depth > MAX_DEPTH) {
    throw new JobspecError(`Expression too deep; more than ${MAX_DEPTH} levels of nesting.`);
  }
  const sub = (child: ExpressionType | undefined, s: Scope = scope): Promise<Value> => {
    if (child === undefined) {
      throw new JobspecError(
        `Invalid expression; ${(node.meta as { value?: string } | undefined)?.value ?? ''}`,
      );
    }
    return evaluate(expr, child, s, budget, depth + 1);
  };
  const other = node as { type: string; children: ExpressionType[] };
  // A parenthesised expression is a node without a type around its one child.
  if (other.type === '' && other.children.length === 1) return sub(other.children[0]);
  if (other.type === 'templateJoin') {
    // A `%{ for }` directive: its pieces joined into the template's text.
    const pieces = await sub(other.children[0]);
    if (!Array.isArray(pieces))
      throw new JobspecError('Invalid template; a for directive needs a collection.');
    return checkString(
      pieces.map((p) => toStringValue(p, 'template interpolation value')).join(''),
    );
  }
  switch (node.type) {
    case 'literalValue':
      if (node.meta.type === 'string') return unescape(node.meta.value, expr.heredoc);
      return literal(node.meta.type, node.meta.value);
    case 'templateWrap':
      return sub(node.children[0]);
    case 'template': {
      let text = '';
      for (const child of node.children) {
        const part = await sub(child);
        if (part === null) {
          throw new JobspecError(
            'Invalid template interpolation value; The expression result is null. Cannot include a null value in a string template.',
          );
        }
        text = checkString(text + toStringValue(part, 'template interpolation value'));
      }
      return text;
    }
    case 'scopeTraversal':
      return traverseScope(node.meta.fullAccessor, node.meta.traversal, scope);
    case 'relativeTraversal': {
      const source = node.children[0];
      if (source === undefined || (source.type as string) === '') {
        throw new JobspecError(`Unsupported expression; splat expressions are not supported.`);
      }
      return applyTraversal(await sub(source), node.meta.traversal);
    }
    case 'index': {
      const collection = await sub(node.children[0]);
      return index(collection, await sub(node.children[1]));
    }
    case 'function': {
      const args: Value[] = [];
      for (const child of node.children) args.push(await sub(child));
      if (node.meta.expandedFinalArgument) {
        const last = args.pop();
        if (!Array.isArray(last)) {
          throw new JobspecError(
            'Invalid expanding argument value; The expanding argument (indicated by ...) must be of a tuple, list, or set type.',
          );
        }
        args.push(...last);
      }
      return callFunction(node.meta.name, args);
    }
    case 'unaryOp': {
      const operand = await sub(node.children[0]);
      if (node.meta.operator === 'negate') return -toNumberValue(operand, 'operand');
      return !toBoolValue(operand, 'operand');
    }
    case 'binaryOp':
      return binary(node.meta.operator, node.children, sub);
    case 'conditional': {
      const condition = await sub(node.children[0]);
      if (condition === null) {
        throw new JobspecError(
          'Null condition; The condition value is null. Conditions must either be true or false.',
        );
      }
      return toBoolValue(condition, 'condition') ? sub(node.children[1]) : sub(node.children[2]);
    }
    case 'tuple': {
      const out: Value[] = [];
      for (const child of node.children) out.push(await sub(child));
      return checkCollection(out);
    }
    case 'object': {
      const out: ValueObject = {};
      for (let i = 0; i + 1 < node.children.length; i += 2) {
        const keyNode = node.children[i]!;
        const key = await objectKey(expr, keyNode, sub);
        out[key] = await sub(node.children[i + 1]);
      }
      return checkCollection(out);
    }
    case 'for':
      return forExpression(node, scope, budget, sub);
    case 'splat': {
      // `list[*].attr` / `list.*.attr`: the traversal after the marker applied to each element.
      const source = await sub(node.children[0]);
      const each = node.children[1];
      const parts = each?.type === 'relativeTraversal' ? each.meta.traversal : [];
      const items = Array.isArray(source) ? source : source === null ? [] : [source];
      return items.map((item) => applyTraversal(item, parts));
    }
  }
  throw new JobspecError(
    `Unsupported expression; ${(node as { type: string }).type} expressions are not supported.`,
  );
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** A string literal's value from its source (see {@link Expr.heredoc}). */
function unescape(raw: string, heredoc: boolean): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if ((c === '$' || c === '%') && raw[i + 1] === c && raw[i + 2] === '{') {
      out += `${c}{`;
      i += 2;
    } else if (c === '\\' && !heredoc) {
      const next = raw[i + 1] ?? '';
      const width = next === 'u' ? 4 : next === 'U' ? 8 : 0;
      if (width > 0) {
        const code = Number.parseInt(raw.slice(i + 2, i + 2 + width), 16);
        out += Number.isNaN(code) ? next : String.fromCodePoint(code);
        i += 1 + width;
      } else {
        out += ESCAPES[next] ?? next;
        i += 1;
      }
    } else {
      out += c;
    }
  }
  return out;
}

function literal(type: string, text: string): Value {
  switch (type) {
    case 'number':
      return Number(text);
    case 'bool':
      return text === 'true';
    case 'string':
      return text;
    default:
      return null;
  }
}

/** An object constructor's key: a bare name (the key node has no type), or an expression. */
async function objectKey(
  expr: Expr,
  keyNode: ExpressionType,
  sub: (child: ExpressionType | undefined) => Promise<Value>,
): Promise<string> {
  if ((keyNode.type as string) === '') {
    const inner = keyNode.children[0];
    if (inner !== undefined) return toStringValue(await sub(inner), 'object key');
    const { start, end } = keyNode.range;
    return Buffer.from(expr.source).subarray(start.byte, end.byte).toString();
  }
  return toStringValue(await sub(keyNode), 'object key');
}

type Part = { type: string; segment: string };

function traverseScope(accessor: string, traversal: Part[], scope: Scope): Promise<Value> | Value {
  const [root, ...rest] = traversal;
  if (root === undefined) throw new JobspecError(`Invalid reference; ${accessor}`);
  if (scope.allowReferences === false) {
    throw new JobspecError('Variables not allowed; Variables may not be used here.');
  }
  const bound = scope.bound?.get(root.segment);
  if (bound !== undefined) return applyTraversal(bound, rest);
  if (root.segment === 'var') return applyTraversal(scope.vars, rest, 'var');
  if (root.segment === 'local') {
    const [name, ...more] = rest;
    if (name?.type !== 'nameTraversal') {
      throw new JobspecError('Invalid reference; A reference to "local" must name a local value.');
    }
    return scope.local(name.segment).then((value) => applyTraversal(value, more));
  }
  // jobspec2's UndefinedVariable: kept as text for the client to interpolate at run time.
  return `\${${accessor}}`;
}

function applyTraversal(value: Value, parts: Part[], root?: string): Value {
  let current = value;
  for (const part of parts) {
    if (part.type === 'nameTraversal') {
      if (!isObject(current) || !Object.hasOwn(current, part.segment)) {
        throw new JobspecError(
          root === 'var' && current === value
            ? `Unsupported attribute; This object does not have an attribute named "${part.segment}".`
            : `Unsupported attribute; Can't access attribute "${part.segment}" on ${current === null ? 'a null value' : `a ${typeName(current)}`}.`,
        );
      }
      current = current[part.segment]!;
    } else {
      current = index(current, indexKey(part.segment));
    }
  }
  return current;
}

/** The key of `[...]` in a traversal, from its source (`0`, `"name"`). */
function indexKey(segment: string): Value {
  const text = segment.startsWith('[') ? segment.slice(1, -1) : segment;
  if (text.startsWith('"')) {
    try {
      return JSON.parse(text) as string;
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      return text.slice(1, -1);
    }
  }
  return /^\d+$/.test(text) ? Number(text) : text;
}

function index(collection: Value, key: Value): Value {
  if (Array.isArray(collection)) {
    const i = toNumberValue(key, 'index');
    if (!Number.isInteger(i) || i < 0 || i >= collection.length) {
      throw new JobspecError(
        `Invalid index; The given key does not identify an element in this collection value.`,
      );
    }
    return collection[i]!;
  }
  if (isObject(collection)) {
    const name = toStringValue(key, 'index');
    if (!Object.hasOwn(collection, name)) {
      throw new JobspecError(
        `Invalid index; The given key does not identify an element in this collection value.`,
      );
    }
    return collection[name]!;
  }
  throw new JobspecError(
    `Invalid index; This value does not have any indices (it is ${typeName(collection)}).`,
  );
}

async function binary(
  operator: string,
  children: ExpressionType[],
  sub: (child: ExpressionType | undefined) => Promise<Value>,
): Promise<Value> {
  const left = await sub(children[0]);
  if (operator === 'logicalAnd' || operator === 'logicalOr') {
    const l = toBoolValue(left, 'operand');
    const r = toBoolValue(await sub(children[1]), 'operand');
    return operator === 'logicalAnd' ? l && r : l || r;
  }
  const right = await sub(children[1]);
  switch (operator) {
    case 'equal':
      return sameValue(left, right);
    case 'notEqual':
      return !sameValue(left, right);
  }
  const a = toNumberValue(left, 'operand');
  const b = toNumberValue(right, 'operand');
  switch (operator) {
    case 'add':
      return a + b;
    case 'subtract':
      return a - b;
    case 'multiply':
      return a * b;
    case 'divide':
      if (b === 0)
        throw new JobspecError('Operation failed; Error during operation: divide by zero.');
      return a / b;
    case 'modulo':
      if (b === 0)
        throw new JobspecError('Operation failed; Error during operation: divide by zero.');
      return a % b;
    case 'greaterThan':
      return a > b;
    case 'greaterThanOrEqual':
      return a >= b;
    case 'lessThan':
      return a < b;
    case 'lessThanOrEqual':
      return a <= b;
  }
  throw new JobspecError(`Unsupported operator; ${operator}`);
}

function sameValue(a: Value, b: Value): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function forExpression(
  node: Extract<ExpressionType, { type: 'for' }>,
  scope: Scope,
  budget: Budget,
  sub: (child: ExpressionType | undefined, s?: Scope) => Promise<Value>,
): Promise<Value> {
  const { meta } = node;
  const asObject = meta.openRangeValue === '{';
  const [collectionNode, ...rest] = node.children;
  const keyNode = asObject ? rest.shift() : undefined;
  const valueNode = rest.shift();
  const conditionNode = meta.conditionalExpression !== '' ? rest.shift() : undefined;
  const collection = await sub(collectionNode);
  let entries: [Value, Value][];
  if (Array.isArray(collection)) entries = collection.map((v, i) => [i, v]);
  else if (isObject(collection)) entries = Object.entries(collection);
  else {
    throw new JobspecError(
      `Iteration over non-iterable value; A value of type ${typeName(collection)} cannot be used as the collection in a 'for' expression.`,
    );
  }
  const list: Value[] = [];
  const object: ValueObject = {};
  for (const [k, v] of entries) {
    budget.step();
    const bound = new Map(scope.bound);
    if (meta.keyVar !== '') bound.set(meta.keyVar, k);
    bound.set(meta.valVar, v);
    const inner: Scope = { ...scope, bound };
    if (conditionNode !== undefined && !toBoolValue(await sub(conditionNode, inner), 'condition')) {
      continue;
    }
    const value = await sub(valueNode, inner);
    if (!asObject) {
      list.push(value);
      checkCollection(list);
      continue;
    }
    const key = toStringValue(await sub(keyNode, inner), 'key');
    if (meta.groupedValue) {
      const group = object[key];
      if (Array.isArray(group)) group.push(value);
      else object[key] = [value];
    } else if (Object.hasOwn(object, key)) {
      throw new JobspecError(
        `Duplicate object key; Two different items produced the key "${key}" in this 'for' expression. If duplicates are expected, use the ellipsis (...) after the value expression to enable grouping by key.`,
      );
    } else {
      object[key] = value;
    }
    checkCollection(object);
  }
  return asObject ? object : list;
}
