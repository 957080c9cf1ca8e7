// HCL expressions as jobspec2 evaluates them: var/local references, operators, templates and
// directives, collections and `for`, a bounded set of functions, and runtime references kept.
import { describe, expect, it } from 'vitest';
import { Budget, evaluateText, type Scope } from './evaluate.js';
import { JobspecError } from './errors.js';
import type { Value } from './value.js';

const scope: Scope = {
  vars: {
    name: 'web',
    n: 3,
    dcs: ['dc1', 'dc2'],
    ports: [
      { label: 'http', to: 80 },
      { label: 'db', to: 5432 },
    ],
    m: { a: 1, b: 2 },
  },
  local: (name) => (name === 'x' ? Promise.resolve(10) : Promise.reject(new JobspecError('no'))),
};

const ev = (text: string): Promise<Value> => evaluateText(text, scope, new Budget());

describe('evaluate', () => {
  it.each<[string, Value]>([
    ['${var.n * 2 + local.x}', 16],
    ['${(var.n + 1) * 2}', 8],
    ['${10 % 3 - 1 / 2}', 0.5],
    ['${var.n > 2 && !false || 1 == 2}', true],
    ['${var.n != 3 ? "a" : "b"}', 'b'],
    ['${-var.n}', -3],
    ['${var.dcs[1]}', 'dc2'],
    ['${var.m["b"]}', 2],
    ['${var.ports[*].label}', ['http', 'db']],
    ['${var.ports.*.to}', [80, 5432]],
    ['${[for d in var.dcs : upper(d)]}', ['DC1', 'DC2']],
    ['${{for k, v in var.m : k => v * 10 if v > 1}}', { b: 20 }],
    ['${{for d in ["a", "b", "a"] : d => d...}}', { a: ['a', 'a'], b: ['b'] }],
    ['${{ a = 1, "b.c" = var.name }}', { a: 1, 'b.c': 'web' }],
    ['x-${var.name}-${var.n}', 'x-web-3'],
    ['%{ for d in var.dcs }${d};%{ endfor }', 'dc1;dc2;'],
    ['%{ if var.n > 1 }many%{ else }one%{ endif }', 'many'],
    ['$${NOMAD_TASK_DIR} 100%%{', '${NOMAD_TASK_DIR} 100%{'],
    ['a "quoted" ${var.name}', 'a "quoted" web'],
    ['${NOMAD_TASK_DIR}/local', '${NOMAD_TASK_DIR}/local'],
    ['${attr.kernel.name}', '${attr.kernel.name}'],
    ['${node.unique.id}-${meta.rack}', '${node.unique.id}-${meta.rack}'],
    ['${env["HOME"]}', '${env["HOME"]}'],
    ['${format("%s:%d", var.name, 8080)}', 'web:8080'],
    ['${join(",", concat(var.dcs, ["dc3"]))}', 'dc1,dc2,dc3'],
    ['${lookup(var.m, "z", 9)}', 9],
    ['${merge(var.m, { c = 3 })}', { a: 1, b: 2, c: 3 }],
    ['${length(var.dcs) + length("héllo")}', 7],
    ['${jsonencode({ a = [1, true] })}', '{"a":[1,true]}'],
    ['${tonumber("42") + 1}', 43],
    ['${replace(trimspace("  a-b-c "), "-", "+")}', 'a+b+c'],
    ['${coalesce("", var.name)}', 'web'],
    ['${keys(var.m)}', ['a', 'b']],
    ['${contains(var.dcs, "dc2")}', true],
    ['${min(var.n, 1, 7)}', 1],
    ['${upper(var.dcs...)}', 'DC1'],
  ])('%s', async (text, value) => {
    // `upper(var.dcs...)` expands two arguments into a one-argument function.
    if (text.includes('...)')) {
      await expect(ev(text)).rejects.toThrow('Too many function arguments');
      return;
    }
    expect(await ev(text)).toEqual(value);
  });

  it("refuses what HCL refuses, with HCL's texts", async () => {
    await expect(ev('${nope(1)}')).rejects.toThrow(
      'Call to unknown function; There is no function named "nope".',
    );
    await expect(ev('${var.missing}')).rejects.toThrow(
      'Unsupported attribute; This object does not have an attribute named "missing".',
    );
    await expect(ev('${var.dcs[5]}')).rejects.toThrow('Invalid index');
    await expect(ev('${1 / 0}')).rejects.toThrow('divide by zero');
    await expect(ev('${"a" + 1}')).rejects.toThrow('a number is required');
    await expect(ev('${{for d in ["a", "a"] : d => d}}')).rejects.toThrow('Duplicate object key');
  });
});

describe('string literals', () => {
  it('take their escapes as HCL does, in quoted strings and in templates', async () => {
    expect(await ev('${upper("a\\"b\\n\\u00e9 $${x}")}')).toBe('A"B\nÉ ${X}');
    expect(await ev('back\\slash ${var.name} $${kept}')).toBe('back\\slash web ${kept}');
  });
});
