/** A policy's rules refused: `message` is the text a user sees, as Nomad words it. */
export class PolicyParseError extends Error {
  override readonly name = 'PolicyParseError';
  /** The line of the rules the problem is on, when it could be found. */
  readonly line: number | undefined;

  constructor(message: string, line?: number) {
    super(line === undefined ? message : `${message} (line ${line})`);
    this.line = line;
  }
}
