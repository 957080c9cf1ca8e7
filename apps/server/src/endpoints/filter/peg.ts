// A small backtracking PEG toolkit with the observable behaviour of the pigeon-generated parser
// that go-bexpr ships: the same ordered choice and backtracking, the same record of the farthest
// failure and what was expected there, errors from actions collected (never rolled back) with the
// rule they happened in, and the same budget of 2,000,000 evaluated grammar nodes. The grammar
// itself is written by hand in parser.ts with these combinators, node for node as go-bexpr's
// grammar.peg, so that error texts and positions match Nomad's.

/** What a failed match returns. */
export const FAIL: unique symbol = Symbol('fail');
export type Result<T> = T | typeof FAIL;

/** go-bexpr's default `MaxExpressions`: parsing stops after this many grammar nodes. */
export const MAX_EXPRESSIONS = 2_000_000;

export interface Rule<T> {
  readonly name: string;
  /** The rule's display name as pigeon prints it, quotes included (`"grouping"`). */
  readonly display?: string;
  expr: Expr<T>;
}

export type Expr<T> = (p: ParseState) => Result<T>;

class MaxExpressionsReached extends Error {}

/** Thrown by an action to record `message` while still yielding `value` (as a Go action returning
 *  both a value and an error does). */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly value: unknown,
  ) {
    super(message);
  }
}

interface ParseFailure {
  position: number;
  rule: Rule<unknown> | undefined;
  message: string;
}

export class ParseState {
  readonly runes: readonly string[];
  /** Index of the current rune. */
  pos = 0;
  #count = 0;
  #maxFail = 0;
  #expected: string[] = [];
  #invert = false;
  readonly #rules: Rule<unknown>[] = [];
  readonly #errors: ParseFailure[] = [];
  #byteOffsets: number[] | undefined;

  constructor(input: string) {
    this.runes = Array.from(input);
  }

  /** Counts one evaluated grammar node, as pigeon's parseExpr does. */
  count(): void {
    if (++this.#count > MAX_EXPRESSIONS) throw new MaxExpressionsReached();
  }

  /** Pigeon's failAt: remembers what was wanted at the farthest position reached. */
  failAt(failed: boolean, position: number, want: string): void {
    if (failed !== this.#invert) return;
    if (position < this.#maxFail) return;
    if (position > this.#maxFail) {
      this.#maxFail = position;
      this.#expected = [];
    }
    this.#expected.push(this.#invert ? `!${want}` : want);
  }

  toggleInvert(): void {
    this.#invert = !this.#invert;
  }

  /** Records an error from an action or a code predicate, in the rule being parsed. */
  addError(position: number, message: string): void {
    this.#errors.push({ position, rule: this.#rules[this.#rules.length - 1], message });
  }

  parseRule<T>(rule: Rule<T>): Result<T> {
    this.#rules.push(rule);
    const value = rule.expr(this);
    // Not in a `finally`: as in pigeon, a budget overrun leaves the rule stack as it was so the
    // error names the rule being parsed.
    this.#rules.pop();
    return value;
  }

  /** Parses the whole input from `start`; returns the value or the error text go-bexpr gives. */
  run<T>(start: Rule<T>): { value: T } | { error: string } {
    let value: Result<T> = FAIL;
    try {
      value = this.parseRule(start);
    } catch (err) {
      // JavaScript's call stack is smaller than Go's growable one: an expression nested deeper
      // than it allows (some 1,500 chained `and`s) is refused as if it were over the budget.
      if (!(err instanceof MaxExpressionsReached) && !(err instanceof RangeError)) throw err;
      this.addError(this.pos, 'max number of expressions parsed');
      return { error: this.#errorText() };
    }
    if (value === FAIL) {
      if (this.#errors.length === 0) {
        const wanted = new Set(this.#expected);
        const eof = wanted.delete('!.');
        const list = [...wanted].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        if (eof) list.push('EOF');
        const message = `no match found, expected: ${listJoin(list)}`;
        this.#errors.push({ position: this.#maxFail, rule: undefined, message });
      }
      return { error: this.#errorText() };
    }
    if (this.#errors.length > 0) return { error: this.#errorText() };
    return { value };
  }

  #errorText(): string {
    const seen = new Set<string>();
    for (const e of this.#errors) {
      const rule = e.rule ? `: rule ${e.rule.display ?? e.rule.name}` : '';
      seen.add(`${this.#format(e.position)}${rule}: ${e.message}`);
    }
    return [...seen].join('\n');
  }

  /** `line:col (byteOffset)` as pigeon counts them (a newline starts its own line at column 0). */
  #format(position: number): string {
    if (position === 0) return '1:1 (0)';
    let line = 1;
    let col = 0;
    for (let i = 0; i <= position; i++) {
      col++;
      if (i < this.runes.length && this.runes[i] === '\n') {
        line++;
        col = 0;
      }
    }
    return `${line}:${col} (${this.#byteOffset(position)})`;
  }

  #byteOffset(position: number): number {
    if (!this.#byteOffsets) {
      const offsets = [0];
      let total = 0;
      for (const r of this.runes) {
        const cp = r.codePointAt(0) as number;
        total += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        offsets.push(total);
      }
      this.#byteOffsets = offsets;
    }
    return this.#byteOffsets[position] as number;
  }
}

function listJoin(list: string[]): string {
  if (list.length <= 1) return list.join('');
  return `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
}

/** Text between two rune indexes. */
export const textOf = (p: ParseState, from: number, to: number) => p.runes.slice(from, to).join('');

/** A literal; `want` is how pigeon lists it when it was expected (`"=="`). */
export function lit(val: string): Expr<string> {
  const chars = Array.from(val);
  const want = JSON.stringify(val);
  return (p) => {
    p.count();
    const start = p.pos;
    for (const c of chars) {
      if (p.runes[p.pos] !== c) {
        p.failAt(false, start, want);
        p.pos = start;
        return FAIL;
      }
      p.pos++;
    }
    p.failAt(true, start, want);
    return val;
  };
}

/** A character class; `val` is its source text (`[a-zA-Z]`), `test` decides membership. */
export function cls(val: string, test: (c: string) => boolean): Expr<string> {
  return (p) => {
    p.count();
    const start = p.pos;
    const c = p.runes[start];
    if (c === undefined || !test(c)) {
      p.failAt(false, start, val);
      return FAIL;
    }
    p.pos++;
    p.failAt(true, start, val);
    return c;
  };
}

/** `.`: any one character. */
export function anyChar(): Expr<string> {
  return (p) => {
    p.count();
    const start = p.pos;
    const c = p.runes[start];
    if (c === undefined) {
      p.failAt(false, start, '.');
      return FAIL;
    }
    p.pos++;
    p.failAt(true, start, '.');
    return c;
  };
}

export function seq(...exprs: Expr<unknown>[]): Expr<unknown[]> {
  return (p) => {
    p.count();
    const start = p.pos;
    const values: unknown[] = [];
    for (const e of exprs) {
      const v = e(p);
      if (v === FAIL) {
        p.pos = start;
        return FAIL;
      }
      values.push(v);
    }
    return values;
  };
}

export function choice<T>(...alternatives: Expr<T>[]): Expr<T> {
  return (p) => {
    p.count();
    for (const alt of alternatives) {
      const v = alt(p);
      if (v !== FAIL) return v;
    }
    return FAIL;
  };
}

/** A labelled sub-expression: no effect on the match, but a node of its own in pigeon's count. */
export function label<T>(expr: Expr<T>): Expr<T> {
  return (p) => {
    p.count();
    return expr(p);
  };
}

/** `e?`: always matches; the value is undefined when `e` did not. */
export function opt<T>(expr: Expr<T>): Expr<T | undefined> {
  return (p) => {
    p.count();
    const v = expr(p);
    return v === FAIL ? undefined : v;
  };
}

/** `e*`. */
export function star<T>(expr: Expr<T>): Expr<T[]> {
  return (p) => {
    p.count();
    const values: T[] = [];
    for (;;) {
      const v = expr(p);
      if (v === FAIL) return values;
      values.push(v);
    }
  };
}

/** `e+`. */
export function plus<T>(expr: Expr<T>): Expr<T[]> {
  return (p) => {
    p.count();
    const values: T[] = [];
    for (;;) {
      const v = expr(p);
      if (v === FAIL) return values.length === 0 ? FAIL : values;
      values.push(v);
    }
  };
}

/** `!e`: matches, consuming nothing, where `e` does not. */
export function not(expr: Expr<unknown>): Expr<null> {
  return (p) => {
    p.count();
    const start = p.pos;
    p.toggleInvert();
    const v = expr(p);
    p.toggleInvert();
    p.pos = start;
    return v === FAIL ? null : FAIL;
  };
}

/** `&e`: matches, consuming nothing, where `e` does. */
export function and(expr: Expr<unknown>): Expr<null> {
  return (p) => {
    p.count();
    const start = p.pos;
    const v = expr(p);
    p.pos = start;
    return v === FAIL ? FAIL : null;
  };
}

/** `&{ return false, errors.New(message) }`: never matches, and records `message` where it stands. */
export function failWith(message: string): Expr<never> {
  return (p) => {
    p.count();
    p.addError(p.pos, message);
    return FAIL;
  };
}

/**
 * `e { action }`: on a match, `run` builds the value from the matched value and (on demand) the
 * matched text. An
 * {@link ActionError} thrown by `run` is recorded at the start of the match, which still succeeds
 * with the error's value, as in pigeon.
 */
export function action<T, R>(expr: Expr<T>, run: (value: T, text: () => string) => R): Expr<R> {
  return (p) => {
    p.count();
    const start = p.pos;
    const v = expr(p);
    if (v === FAIL) return FAIL;
    try {
      const end = p.pos;
      return run(v, () => textOf(p, start, end));
    } catch (err) {
      if (!(err instanceof ActionError)) throw err;
      p.addError(start, err.message);
      return err.value as R;
    }
  };
}

/** A reference to a rule (resolved when first used, so rules may refer to each other). */
export function ref<T>(rule: () => Rule<T>): Expr<T> {
  return (p) => {
    p.count();
    return p.parseRule(rule());
  };
}
