// The HCL v2 parser: HashiCorp's hcl library built to WASM (@cdktf/hcl2json). Its `parse` gives a
// file's body as JSON (blocks as arrays of objects keyed by label, every non-literal expression as
// its source text in "${...}"); `getExpressionAst` gives the syntax tree of one expression, which
// evaluate.ts walks. Errors are hcl's own diagnostics, as Nomad reports them.
import { getExpressionAst, parse, type TFExpressionSyntaxTree } from '@cdktf/hcl2json';
import { JobspecError } from './errors.js';

export type ExpressionType = TFExpressionSyntaxTree.ExpressionType;

/** One node of an expression's syntax tree, with the text its byte ranges point into. */
export interface Expr {
  ast: ExpressionType;
  source: string;
  /**
   * The parser gives a string literal's source text, not its value: in a heredoc only `$${` and
   * `%%{` are escapes, in a quoted string also backslash sequences.
   */
  heredoc: boolean;
}

/** The body of an HCL file as hcl2json gives it. */
export type HclBody = Record<string, unknown>;

/** hcl2json wraps parse diagnostics as `parse config: [<diagnostics>]`; Nomad shows them bare. */
function diagnosticText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const wrapped = /^parse config: \[([\s\S]*)\]$/.exec(text);
  if (wrapped?.[1] !== undefined) return wrapped[1];
  const expression = /^getExpressionAst errors on input string [\s\S]*?': ([\s\S]*?)\s*$/.exec(
    text,
  );
  return expression?.[1] ?? text;
}

/** Parses an HCL file's text; rejects with a {@link JobspecError} holding hcl's diagnostics. */
export async function parseHclBody(filename: string, text: string): Promise<HclBody> {
  try {
    return (await parse(filename, text)) as HclBody;
  } catch (error) {
    throw new JobspecError(diagnosticText(error), { cause: error });
  }
}

/** Parses one expression's source; rejects with a {@link JobspecError} holding hcl's diagnostics. */
export async function parseExpression(source: string, heredoc = false): Promise<Expr> {
  let ast: ExpressionType | null;
  try {
    ast = await getExpressionAst('input.hcl', source);
  } catch (error) {
    throw new JobspecError(diagnosticText(error), { cause: error });
  }
  if (ast === null) throw new JobspecError(`Invalid expression; could not parse ${source}`);
  return { ast, source, heredoc };
}
