// js-hcl-parser: hashicorp/hcl v1 compiled to JavaScript with gopherjs (no types of its own).
declare module 'js-hcl-parser' {
  /**
   * Decodes HCL or JSON text as `hcl.Unmarshal` into `interface{}` does, and returns that value
   * as indented JSON; on failure returns `unable to parse JSON: <hcl error>` instead. Go panics
   * inside (e.g. a bad escape in a key) are thrown.
   */
  export function parse(input: string): string;
  /** Reformats HCL text with hcl's printer, or returns `unable to parse HCL: <error>`. */
  export function stringify(input: string): string;
}
