/** A policy's rules refused: `message` is the text a user sees, in Nomad's words. */
export class PolicyParseError extends Error {
  override readonly name = 'PolicyParseError';

  /** @param line the line of the rules the problem is on, when it could be found */
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }

  /** Nomad's `message`, with ` (line N)` added when the line is known. */
  static atLine(message: string, line: number | undefined): PolicyParseError {
    return new PolicyParseError(line === undefined ? message : `${message} (line ${line})`, line);
  }

  /** A message carrying hcl's `At L:C:` (or JSON's `L:C:`) position, whose line is taken. */
  static atPosition(message: string): PolicyParseError {
    const found = /: (?:At )?(\d+):\d+: /.exec(message);
    return new PolicyParseError(message, found ? Number(found[1]) : undefined);
  }
}
