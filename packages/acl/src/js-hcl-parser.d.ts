// The exports of js-hcl-parser (hashicorp/hcl v1 compiled to JavaScript by gopherjs), which
// ships no types. A module rather than `declare module`, so that packages type-checking this
// one's source find it through the import.

/** What `require('js-hcl-parser')` returns. */
export interface JsHclParser {
  /**
   * Decodes HCL or JSON text as `hcl.Unmarshal` into `interface{}` does, and returns that value
   * as indented JSON; on failure returns `unable to parse JSON: <hcl error>` instead. Go panics
   * inside (e.g. a bad escape in a key) are thrown, not always as Errors.
   */
  parse(input: string): string;
  /** Reformats HCL text with hcl's printer, or returns `unable to parse HCL: <error>`. */
  stringify(input: string): string;
}
