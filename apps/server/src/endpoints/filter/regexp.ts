// Go's regexp syntax (RE2, as `matches` compiles it) translated to a JavaScript RegExp with the
// same meaning for deciding whether a string matches: `.` never matches `\n` unless `(?s)`,
// `^`/`$` are text anchors unless `(?m)`, `\d \s \w \b` are ASCII, flags can change mid-pattern,
// `(?P<name>…)`, `\Q…\E`, POSIX classes and `\pL`/`\p{Greek}` work. Patterns Go rejects
// (look-arounds, back-references, `a**`, unknown escapes, …) are rejected with Go's error text.

export class GoRegexpError extends Error {
  constructor(code: string, expr: string) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
  }
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
}

/** A character class as code point ranges plus JS property escapes (`\p{L}`) it also matches. */
interface CharSet {
  ranges: Array<[number, number]>;
  props: string[];
}

const MAX_CP = 0x10ffff;
const r = (a: string, b = a): [number, number] => [
  a.codePointAt(0) as number,
  b.codePointAt(0) as number,
];

const PERL: Readonly<Record<string, Array<[number, number]>>> = {
  d: [r('0', '9')],
  s: [r('\t', '\n'), r('\f', '\r'), r(' ')],
  w: [r('0', '9'), r('A', 'Z'), r('_'), r('a', 'z')],
};

const POSIX: Readonly<Record<string, Array<[number, number]>>> = {
  alnum: [r('0', '9'), r('A', 'Z'), r('a', 'z')],
  alpha: [r('A', 'Z'), r('a', 'z')],
  ascii: [[0, 0x7f]],
  blank: [r('\t'), r(' ')],
  cntrl: [
    [0, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [r('0', '9')],
  graph: [r('!', '~')],
  lower: [r('a', 'z')],
  print: [r(' ', '~')],
  punct: [r('!', '/'), r(':', '@'), r('[', '`'), r('{', '~')],
  space: [r('\t', '\r'), r(' ')],
  upper: [r('A', 'Z')],
  word: [r('0', '9'), r('A', 'Z'), r('_'), r('a', 'z')],
  xdigit: [r('0', '9'), r('A', 'F'), r('a', 'f')],
};

function complement(ranges: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

/** Adds the simple case variants of every code point in small ranges (for `(?i)`). */
function fold(ranges: Array<[number, number]>): Array<[number, number]> {
  const out = [...ranges];
  for (const [lo, hi] of ranges) {
    if (hi - lo > 2000) continue;
    for (let cp = lo; cp <= hi; cp++) {
      const ch = String.fromCodePoint(cp);
      for (const v of [ch.toLowerCase(), ch.toUpperCase()]) {
        if (v !== ch && Array.from(v).length === 1) out.push(r(v));
      }
    }
  }
  return out;
}

const cpText = (cp: number) => `\\u{${cp.toString(16)}}`;

function classSource(set: CharSet, negate: boolean): string {
  const body = set.ranges.map(([lo, hi]) =>
    lo === hi ? cpText(lo) : `${cpText(lo)}-${cpText(hi)}`,
  );
  return `[${negate ? '^' : ''}${body.join('')}${set.props.join('')}]`;
}

const isGeneralCategory = (name: string) => /^[A-Z][a-z]?$/.test(name);

/** `\pN`, `\p{Greek}`, `\p{^L}`, `\PL` as a JS property escape, or undefined if JS knows no such. */
function propertyEscape(name: string, negated: boolean): string | undefined {
  let n = name;
  let neg = negated;
  if (n.startsWith('^')) {
    n = n.slice(1);
    neg = !neg;
  }
  if (n === 'Any') return neg ? '[]' : '[\\u{0}-\\u{10ffff}]';
  const js = `\\${neg ? 'P' : 'p'}{${isGeneralCategory(n) ? n : `Script=${n}`}}`;
  try {
    new RegExp(js, 'u');
    return js;
  } catch {
    return undefined;
  }
}

class Translator {
  readonly #cs: string[];
  #i = 0;

  constructor(readonly source: string) {
    this.#cs = Array.from(source);
  }

  #peek(offset = 0): string | undefined {
    return this.#cs[this.#i + offset];
  }

  #rest(): string {
    return this.#cs.slice(this.#i).join('');
  }

  translate(): string {
    const out = this.#alternation({ i: false, m: false, s: false }, false);
    if (this.#i < this.#cs.length) throw new GoRegexpError('unexpected )', this.source);
    return out;
  }

  /** Alternatives up to an unmatched `)` or the end. */
  #alternation(outer: Flags, inGroup: boolean): string {
    const flags = { ...outer };
    const branches: string[] = [];
    let items: string[] = [];
    let lastRepeat = '';
    for (;;) {
      const c = this.#peek();
      if (c === undefined) {
        if (inGroup) throw new GoRegexpError('missing closing )', this.source);
        break;
      }
      if (c === ')') {
        if (!inGroup) throw new GoRegexpError('unexpected )', this.source);
        break;
      }
      if (c === '|') {
        this.#i++;
        branches.push(items.join(''));
        items = [];
        lastRepeat = '';
        continue;
      }
      const repeat = this.#repeat();
      if (repeat !== undefined) {
        const last = items.pop();
        if (last === undefined)
          throw new GoRegexpError('missing argument to repetition operator', repeat.text);
        if (lastRepeat !== '')
          throw new GoRegexpError('invalid nested repetition operator', lastRepeat + repeat.op);
        items.push(`(?:${last})${repeat.js}`);
        lastRepeat = repeat.text;
        continue;
      }
      lastRepeat = '';
      if (c === '(' && this.#peek(1) === '?') {
        const group = this.#perlGroup(flags);
        if (group !== undefined) items.push(group);
        continue;
      }
      if (c === '(') {
        this.#i++;
        items.push(this.#group(flags));
        continue;
      }
      items.push(this.#atom(flags));
    }
    branches.push(items.join(''));
    return branches.length === 1
      ? (branches[0] as string)
      : branches.map((b) => `(?:${b})`).join('|');
  }

  #group(flags: Flags): string {
    const body = this.#alternation(flags, true);
    this.#i++; // the `)`
    return `(?:${body})`;
  }

  /** `(?P<name>…)`, `(?<name>…)`, `(?flags)`, `(?flags:…)`; undefined when only flags changed. */
  #perlGroup(flags: Flags): string | undefined {
    const start = this.#i;
    const t = this.#rest();
    const named = /^\(\?P?</.exec(t);
    if (named && t.length > named[0].length) {
      const end = t.indexOf('>');
      if (end < 0) throw new GoRegexpError('invalid named capture', t);
      const name = t.slice(named[0].length, end);
      if (!/^[A-Za-z0-9_]+$/.test(name))
        throw new GoRegexpError('invalid named capture', t.slice(0, end + 1));
      this.#i += Array.from(t.slice(0, end + 1)).length;
      return this.#group(flags);
    }
    this.#i += 2;
    const next = { ...flags };
    let sign = true;
    let sawFlag = false;
    for (;;) {
      const c = this.#peek();
      const bad = () =>
        new GoRegexpError(
          'invalid or unsupported Perl syntax',
          this.#cs.slice(start, this.#i + 1).join(''),
        );
      if (c === undefined) throw new GoRegexpError('missing closing )', this.source);
      this.#i++;
      if (c === 'i' || c === 'm' || c === 's' || c === 'U') {
        if (c !== 'U') next[c] = sign;
        sawFlag = true;
      } else if (c === '-') {
        this.#i--;
        if (!sign) throw bad();
        this.#i++;
        sign = false;
        sawFlag = false;
      } else if (c === ':' || c === ')') {
        if (!sign && !sawFlag) {
          this.#i--;
          throw bad();
        }
        if (c === ')') {
          Object.assign(flags, next);
          return undefined;
        }
        return this.#group(next);
      } else {
        this.#i--;
        throw bad();
      }
    }
  }

  #repeat(): { js: string; text: string; op: string } | undefined {
    const c = this.#peek();
    let op: string;
    if (c === '*' || c === '+' || c === '?') op = c;
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.#rest());
      if (!m) return undefined;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
      if (min > 1000 || max > 1000 || (max >= 0 && max < min))
        throw new GoRegexpError('invalid repeat count', m[0]);
      op = m[0];
    } else return undefined;
    this.#i += op.length;
    const lazy = this.#peek() === '?';
    if (lazy) this.#i++;
    const text = lazy ? `${op}?` : op;
    return { js: text, text, op: text };
  }

  #atom(flags: Flags): string {
    const c = this.#peek() as string;
    this.#i++;
    switch (c) {
      case '.':
        return flags.s ? '[\\u{0}-\\u{10ffff}]' : '[^\\n]';
      case '^':
        return flags.m ? '(?:^|(?<=\\n))' : '^';
      case '$':
        return flags.m ? '(?:$|(?=\\n))' : '$';
      case '[':
        return this.#charClass(flags);
      case '\\':
        return this.#escape(flags);
      default:
        return this.#literal(c.codePointAt(0) as number, flags);
    }
  }

  #literal(cp: number, flags: Flags): string {
    if (flags.i) {
      const set = fold([[cp, cp]]);
      if (set.length > 1) return classSource({ ranges: set, props: [] }, false);
    }
    return cpText(cp);
  }

  #escape(flags: Flags): string {
    const c = this.#peek();
    if (c === undefined) throw new GoRegexpError('trailing backslash at end of expression', '');
    switch (c) {
      case 'A':
        this.#i++;
        return '^';
      case 'z':
        this.#i++;
        return '$';
      case 'b':
      case 'B':
        this.#i++;
        return `\\${c}`;
      case 'Q': {
        this.#i++;
        const rest = this.#rest();
        const end = rest.indexOf('\\E');
        const lit = end < 0 ? rest : rest.slice(0, end);
        this.#i += Array.from(lit).length + (end < 0 ? 0 : 2);
        return Array.from(lit)
          .map((ch) => this.#literal(ch.codePointAt(0) as number, flags))
          .join('');
      }
    }
    const set = this.#classEscape();
    if (set) return classSource(flags.i ? { ...set, ranges: fold(set.ranges) } : set, false);
    return this.#literal(this.#charEscape(), flags);
  }

  /** `\d \s \w` (and negations), `\pX`, `\p{…}`: a set, or undefined for other escapes. */
  #classEscape(): CharSet | undefined {
    const c = this.#peek() as string;
    const lower = c.toLowerCase();
    if (lower in PERL && (c === lower || c === c.toUpperCase())) {
      this.#i++;
      const ranges = PERL[lower] as Array<[number, number]>;
      return { ranges: c === lower ? ranges : complement(ranges), props: [] };
    }
    if (c === 'p' || c === 'P') {
      const start = this.#i - 1;
      this.#i++;
      let name = this.#peek();
      if (name === undefined)
        throw new GoRegexpError('invalid character class range', this.#cs.slice(start).join(''));
      if (name === '{') {
        const rest = this.#rest();
        const end = rest.indexOf('}');
        if (end < 0)
          throw new GoRegexpError('invalid character class range', this.#cs.slice(start).join(''));
        name = rest.slice(1, end);
        this.#i += Array.from(rest.slice(0, end + 1)).length;
      } else this.#i++;
      const prop = propertyEscape(name, c === 'P');
      if (prop === undefined) {
        throw new GoRegexpError(
          'invalid character class range',
          this.#cs.slice(start, this.#i).join(''),
        );
      }
      return prop.startsWith('[')
        ? { ranges: prop === '[]' ? [] : [[0, MAX_CP]], props: [] }
        : { ranges: [], props: [prop] };
    }
    return undefined;
  }

  /** A single-character escape (after the backslash): octal, hex, `\n`…, escaped punctuation. */
  #charEscape(): number {
    const start = this.#i - 1;
    const c = this.#peek() as string;
    this.#i++;
    const invalid = () =>
      new GoRegexpError('invalid escape sequence', this.#cs.slice(start, this.#i).join(''));
    const isOctal = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '7';
    if (c >= '1' && c <= '7' && !isOctal(this.#peek())) throw invalid();
    if (c >= '0' && c <= '7') {
      let v = Number(c);
      for (let k = 1; k < 3 && isOctal(this.#peek()); k++) v = v * 8 + Number(this.#cs[this.#i++]);
      return v;
    }
    if (c === 'x') {
      if (this.#peek() === '{') {
        const m = /^\{([0-9A-Fa-f]+)\}/.exec(this.#rest());
        const v = m ? parseInt(m[1] as string, 16) : NaN;
        if (!m || v > MAX_CP) {
          this.#i = this.#cs.length;
          throw invalid();
        }
        this.#i += m[0].length;
        return v;
      }
      const hex = this.#cs.slice(this.#i, this.#i + 2).join('');
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
        this.#i = Math.min(this.#i + 2, this.#cs.length);
        throw invalid();
      }
      this.#i += 2;
      return parseInt(hex, 16);
    }
    const simple: Record<string, string> = {
      a: '\x07',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
    };
    const s = simple[c];
    if (s !== undefined) return s.codePointAt(0) as number;
    const cp = c.codePointAt(0) as number;
    if (cp < 0x80 && !/[0-9A-Za-z]/.test(c)) return cp;
    throw invalid();
  }

  #charClass(flags: Flags): string {
    const start = this.#i - 1;
    const set: CharSet = { ranges: [], props: [] };
    let negate = false;
    if (this.#peek() === '^') {
      negate = true;
      this.#i++;
    }
    let first = true;
    const missing = () => new GoRegexpError('missing closing ]', this.#cs.slice(start).join(''));
    for (;;) {
      const c = this.#peek();
      if (c === undefined) throw missing();
      if (c === ']' && !first) {
        this.#i++;
        break;
      }
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.#rest());
      if (posix) {
        const ranges = POSIX[posix[2] as string];
        if (!ranges) throw new GoRegexpError('invalid character class range', posix[0]);
        set.ranges.push(...(posix[1] ? complement(ranges) : ranges));
        this.#i += posix[0].length;
        continue;
      }
      const rangeStart = this.#i;
      let lo: number;
      if (c === '\\') {
        this.#i++;
        if (this.#peek() === undefined) throw missing();
        const esc = this.#classEscape();
        if (esc) {
          set.ranges.push(...esc.ranges);
          set.props.push(...esc.props);
          continue;
        }
        lo = this.#charEscape();
      } else {
        lo = c.codePointAt(0) as number;
        this.#i++;
      }
      let hi = lo;
      if (this.#peek() === '-' && this.#peek(1) !== ']' && this.#peek(1) !== undefined) {
        this.#i++;
        const d = this.#peek() as string;
        if (d === '\\') {
          this.#i++;
          hi = this.#charEscape();
        } else {
          hi = d.codePointAt(0) as number;
          this.#i++;
        }
        if (hi < lo) {
          throw new GoRegexpError(
            'invalid character class range',
            this.#cs.slice(rangeStart, this.#i).join(''),
          );
        }
      }
      set.ranges.push([lo, hi]);
    }
    if (flags.i) set.ranges = fold(set.ranges);
    return classSource(set, negate);
  }
}

/** Compiles a Go regular expression; throws {@link GoRegexpError} where Go's regexp would fail. */
export function compileGoRegexp(source: string): RegExp {
  const js = new Translator(source).translate();
  try {
    return new RegExp(js, 'u');
  } catch (err) {
    throw new GoRegexpError(
      'invalid or unsupported Perl syntax',
      `${source} (${(err as Error).message})`,
    );
  }
}
