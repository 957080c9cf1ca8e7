// The HCL v2 parser: HashiCorp's hcl library built to WASM (@cdktf/hcl2json). Its `parse` gives a
// file's body as JSON (blocks as arrays of objects keyed by label, every non-literal expression as
// its source text in "${...}"); `getExpressionAst` gives the syntax tree of one expression, which
// evaluate.ts walks. Errors are hcl's own diagnostics, as Nomad reports them.
import { createRequire } from 'node:module';
import type { ExpressionType as AstNode } from '@cdktf/hcl2json/lib/syntax-tree.js';
import { JobspecError } from './errors.js';

/** One node of an expression's syntax tree, as hcl2json gives it. */
export type ExpressionType = AstNode;

/**
 * The two functions of hcl2json used here. Typed here because the package's entry declarations
 * reference the DOM library (`/// <reference lib="dom" />`), which would change the types of
 * fetch and Headers in every program that imports this package (the server's included).
 */
interface Hcl2Json {
  parse: (filename: string, contents: string) => Promise<Record<string, unknown>>;
  getExpressionAst: (filename: string, expression: string) => Promise<ExpressionType | null>;
}

const { parse, getExpressionAst } = createRequire(import.meta.url)('@cdktf/hcl2json') as Hcl2Json;

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

/** The file name hcl's diagnostics of a parsed expression carry. */
const EXPRESSION_FILE = 'input.hcl';

/**
 * hcl's diagnostics from an error of hcl2json: it wraps them as `parse config: [<diagnostics>]`
 * or `getExpressionAst errors on input string '<input>': <diagnostics>`, and Nomad shows them
 * bare. Any other error is not about the input's syntax (the WASM runtime failed): undefined.
 */
function diagnosticText(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const text = error.message;
  const parsePrefix = 'parse config: [';
  if (text.startsWith(parsePrefix) && text.endsWith(']')) return text.slice(parsePrefix.length, -1);
  if (!text.startsWith('getExpressionAst errors on input string ')) return undefined;
  // The input is quoted in the message; hcl's diagnostics follow it, starting with the file name.
  const at = text.lastIndexOf(`': ${EXPRESSION_FILE}:`);
  return at < 0 ? undefined : text.slice(at + 3).trimEnd();
}

/** Rejects with hcl's diagnostics as a {@link JobspecError}; anything else as it is. */
function rethrow(error: unknown): never {
  const text = diagnosticText(error);
  if (text === undefined) throw error;
  throw new JobspecError(text, { cause: error });
}

/** Parses an HCL file's text; rejects with a {@link JobspecError} holding hcl's diagnostics. */
export async function parseHclBody(filename: string, text: string): Promise<HclBody> {
  try {
    return await parse(filename, text);
  } catch (error) {
    rethrow(error);
  }
}

/** Parses one expression's source; rejects with a {@link JobspecError} holding hcl's diagnostics. */
export async function parseExpression(source: string, heredoc = false): Promise<Expr> {
  let ast: ExpressionType | null;
  try {
    ast = await getExpressionAst(EXPRESSION_FILE, source);
  } catch (error) {
    rethrow(error);
  }
  if (ast === null) throw new JobspecError(`Invalid expression; could not parse ${source}`);
  return { ast, source, heredoc };
}
