// What a user sees when a jobspec cannot be parsed: hcl's own diagnostics, and Nomad's texts for
// jobspec2's checks, never a crash.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JobspecError } from './errors.js';
import { parseJobspec } from './job.js';

async function refusal(hcl: string, variables?: string): Promise<string> {
  const error = await parseJobspec(hcl, { variables }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(JobspecError);
  return (error as JobspecError).message;
}

describe('refused jobspecs', () => {
  it("gives hcl's syntax diagnostics as they are", async () => {
    expect(await refusal('job "x" {')).toBe(
      'input.hcl:1,9-10: Unclosed configuration block; There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.',
    );
  });

  it("gives jobspec2's texts for variables", async () => {
    expect(await refusal('variable "v" {}\njob "x" {}')).toBe(
      'Unset variable "v"; A used variable must be set or have a default value; see https://developer.hashicorp.com/nomad/docs/reference/hcl2/variables  for details.',
    );
    expect(await refusal('variable "v" {\n type = number\n}\njob "x" {}', 'v = "abc"')).toBe(
      "Invalid value for variable; The value for v is not compatible with the variable's type constraint: a number is required.",
    );
    expect(
      await refusal('variable "v" {\n type = number\n default = "x"\n}\njob "x" {}'),
    ).toContain('Invalid default value for variable');
    expect(await refusal('job "x" {\n datacenters = [var.nope]\n}')).toBe(
      'Unsupported attribute; This object does not have an attribute named "nope".',
    );
    expect(await refusal('job "x" {}', 'variable "a" {}')).toContain(
      'Variable declaration in a .var file',
    );
    expect(await refusal('job "x" {}', 'a = ')).toContain(
      'unable to parse var content: input.hcl:1,5-5: Missing expression',
    );
    expect(
      await refusal(`variable "port" {
  type    = number
  default = 80
  validation {
    condition     = var.port > 1024
    error_message = "The port must be above 1024."
  }
}
job "x" {}`),
    ).toBe('Invalid value for variable; The port must be above 1024.');
  });

  it('refuses HCL JSON syntax, which Nomad reads and berth does not', async () => {
    expect(await refusal('  {"job": {"x": {}}}')).toContain(
      'JSON jobspecs (HCL JSON syntax) are not supported',
    );
  });

  it('refuses unknown fields, missing labels and a missing job', async () => {
    expect(await refusal('job "x" {\n group "g" {\n counts = 1\n }\n}')).toBe(
      'Unsupported argument; An argument named "counts" is not expected here.',
    );
    expect(await refusal('job "x" {\n group {\n }\n}')).toBe(
      'Missing name for group; All group blocks must have 1 labels (name).',
    );
    expect(await refusal('job "x" {\n grop "g" {\n }\n}')).toBe(
      'Unsupported block type; Blocks of type "grop" are not expected here.',
    );
    expect(await refusal('variable "a" {\n default = 1\n}')).toBe(
      'Missing job block; A job block is required',
    );
    expect(await refusal('job "x" {\n group "g" {\n restart {\n delay = "soon"\n }\n }\n}')).toBe(
      'Unsuitable value type; Unsuitable duration value: time: invalid duration "soon"',
    );
  });

  it('bounds what expressions build and how deep they go', async () => {
    expect(await refusal('job "x" {\n meta = { a = join(",", range(200000)) }\n}')).toContain(
      'more than 100000 range elements',
    );
    const deep = `${'('.repeat(100)}1${')'.repeat(100)}`;
    expect(await refusal(`job "x" {\n priority = ${deep}\n}`)).toMatch(/too deep|nesting/);
    expect(
      await refusal(
        'locals {\n a = local.b\n b = local.a\n}\njob "x" {\n meta = { v = local.a }\n}',
      ),
    ).toContain('refers to itself');
  });

  it('refuses nesting deep enough to overflow the parser before parsing', async () => {
    const deep = `${'['.repeat(20_000)}1${']'.repeat(20_000)}`;
    expect(await refusal(`job "x" {\n meta = { a = ${deep} }\n}`)).toBe(
      'Nesting too deep; the jobspec nests blocks or values more than 256 levels deep.',
    );
    expect(await refusal('job "x" {}', `a = ${deep}`)).toContain('Nesting too deep');
    // Still working after both.
    expect((await parseJobspec('job "x" {}'))['ID']).toBe('x');
  });

  it('never fails with anything but a JobspecError on arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.constantFrom('job "x" {\n', 'job "x" {\n meta = ', '${', 'x = "${', '%{ if'),
        ),
        fc.string(),
        async (prefix, tail) => {
          const result = await parseJobspec(`${prefix}${tail}`).then(
            () => undefined,
            (e: unknown) => e,
          );
          if (result !== undefined) expect(result).toBeInstanceOf(JobspecError);
        },
      ),
      { numRuns: 150 },
    );
  });
});
