import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_POLICY_NESTING, parsePolicy, PolicyParseError } from './index.js';
import { nestingBeyond } from './nesting.js';

/** The error `run` throws, whatever it is. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('nesting is bounded before the parser sees it', () => {
  it.each([
    // Within the size limit, and far past the depth that overflows the parser's stack.
    ['braces', '{'.repeat(60_000), 'At 1:33: nested more than 32 levels deep'],
    ['brackets', `a = ${'['.repeat(60_000)}`, 'At 1:37: nested more than 32 levels deep'],
    ['JSON objects', '{"a":'.repeat(12_000), 'At 1:161: nested more than 32 levels deep'],
    ['HCL blocks', 'a {\n'.repeat(15_000), 'At 33:3: nested more than 32 levels deep'],
    ['block labels', `${'a '.repeat(20_000)}{}`, 'At 1:40001: nested more than 32 levels deep'],
  ])('deeply nested %s: a clean PolicyParseError, at once', (_, rules, position) => {
    const started = Date.now();
    const error = thrown(() => parsePolicy(rules));
    expect(error).toBeInstanceOf(PolicyParseError);
    expect((error as Error).message).toBe(`Failed to parse ACL Policy: ${position}`);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('leaves the parser working afterwards', () => {
    expect(() => parsePolicy('{'.repeat(60_000))).toThrow(PolicyParseError);
    expect(parsePolicy('node { policy = "read" }').node).toBe('read');
  });

  it('accepts the deepest nesting allowed and refuses one more', () => {
    const nested = (levels: number) => `a = ${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}`;
    expect(nestingBeyond(`node { ${nested(MAX_POLICY_NESTING)} }`, MAX_POLICY_NESTING)).toBe(
      undefined,
    );
    expect(nestingBeyond(`node { ${nested(MAX_POLICY_NESTING + 1)} }`, MAX_POLICY_NESTING)).toBe(
      10 + MAX_POLICY_NESTING,
    );
  });

  it('does not count brackets in strings, comments and heredocs, as hcl skips them', () => {
    const deep = '{['.repeat(100);
    const rules = [
      `# ${deep}`,
      `// ${deep}`,
      `/* ${deep}`,
      `${deep} */`,
      'namespace "a" {',
      '  policy = "read"',
      `  note = "${deep} \\" ${deep}"`,
      // Inside `${}` hcl counts braces (and ignores quotes), so only brackets here.
      `  interpolated = "\${ "${'['.repeat(100)}" }"`,
      '  text = <<EOF',
      deep,
      'EOF',
      '  indented = <<-EOT',
      `  ${deep}`,
      '  EOT',
      '}',
    ].join('\n');
    expect(nestingBeyond(rules, MAX_POLICY_NESTING)).toBe(undefined);
    expect(parsePolicy(rules, { strict: false }).namespaces[0]?.name).toBe('a');
  });

  it('counts what hcl would parse after a string or heredoc it ends early', () => {
    const deep = '{'.repeat(40);
    // A newline ends a string; `<<-EOF` needs its closing anchor indented.
    expect(nestingBeyond(`a = "x\n${deep}`, MAX_POLICY_NESTING)).toBeDefined();
    expect(nestingBeyond(`a = <<EOF\nx\nEOF\n${deep}`, MAX_POLICY_NESTING)).toBeDefined();
    expect(nestingBeyond(`a = <<-EOF\nx\nEOF\n${deep}`, MAX_POLICY_NESTING)).toBe(undefined);
    expect(nestingBeyond(`a = <<-EOF\nx\n EOF\n${deep}`, MAX_POLICY_NESTING)).toBeDefined();
    // `/*/` does not close the comment it opens.
    expect(nestingBeyond(`/*/ ${deep} */`, MAX_POLICY_NESTING)).toBe(undefined);
    // `\x` with no digit swallows the quote in HCL, but hands it back in JSON.
    expect(nestingBeyond(`a = "\\x"${deep}"`, MAX_POLICY_NESTING)).toBe(undefined);
    expect(nestingBeyond(`{"a": "\\x"${deep}`, MAX_POLICY_NESTING)).toBeDefined();
  });

  it('restores the globals gopherjs changes when it loads', () => {
    const limit = Error.stackTraceLimit;
    const hadRequire = 'require' in globalThis;
    parsePolicy('node { policy = "read" }');
    expect(Error.stackTraceLimit).toBe(limit);
    expect('require' in globalThis).toBe(hadRequire);
  });

  // The scan must see every rule the parser reads. Valid comments, strings and heredocs whose
  // contents are full of quotes, escapes, comment and heredoc markers come before a list nested
  // 40 deep: the parser reads that list, so the scan must have seen it and refused the rules.
  it('sees every rule the parser reads (property)', () => {
    const text = (pieces: string[]) =>
      fc.array(fc.constantFrom(...pieces), { maxLength: 10 }).map((parts) => parts.join(''));
    const markers = [
      '#',
      '//',
      '/*',
      '*',
      '/',
      '{',
      '}',
      '[',
      ']',
      '<<EOF',
      '<<-EOF',
      'EOF',
      'a',
      ' ',
    ];
    const escapes = ['\\"', '\\\\', '\\n', '\\x41', '\\u00e9', '\\101', '\\"/*', '\\" #'];
    // Heredoc and comment bodies that do not end early: no anchor line, no `*/`.
    const lines = text([...markers, '"', '\\', '\n', '\n  ', '\nEOF ', '\n EOFX']).filter(
      (t) => !t.includes('*/') && !t.split('\n').some((line) => line.trim() === 'EOF'),
    );
    const hclItem = fc.oneof(
      text([...markers, '"', '\\']).map((t) => `# ${t}\n`),
      text([...markers, '"', '\\']).map((t) => `// ${t}\n`),
      lines.map((t) => `/*${t} */\n`),
      text([...markers, ...escapes, '${"a"}', '${ "#" }', '${\n}']).map((t) => `k = "${t}"\n`),
      lines.map((t) => `k = <<EOF\n${t}\nEOF\n`),
      lines.map((t) => `k = <<-EOF\n${t}\n  EOF\n`),
    );
    const jsonValue = text([...markers, ...escapes, '${', '\\/']).map((t) => `"${t}"`);
    const deep = `${'['.repeat(40)}${']'.repeat(40)}`;
    const rules = fc.oneof(
      fc.array(hclItem, { maxLength: 4 }).map((items) => `${items.join('')}z = ${deep}\n`),
      fc
        .array(jsonValue, { maxLength: 4 })
        .map((values) => `{"k": [${values.join(', ')}], "z": ${deep}}`),
    );
    fc.assert(
      fc.property(rules, (text) => {
        expect(() => parsePolicy(text, { strict: false })).toThrow(
          /nested more than 32 levels deep/,
        );
      }),
      { numRuns: 1_000 },
    );
  });
});
