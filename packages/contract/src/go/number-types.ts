// Go's numeric types as its JSON decoder fills them: an integer field takes only an integer
// literal (`strconv.ParseInt`/`ParseUint`: no fraction, no exponent, no sign for unsigned ones)
// within its type's range; a float field takes any literal whose value is finite in its size.

const int = (bits: number): [bigint, bigint] => [
  -(1n << BigInt(bits - 1)),
  (1n << BigInt(bits - 1)) - 1n,
];
const uint = (bits: number): [bigint, bigint] => [0n, (1n << BigInt(bits)) - 1n];

/** Go's integer types and their ranges; `int` and `uint` are 64-bit, as on Nomad's servers. */
const INTEGER_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int: int(64),
  int64: int(64),
  'time.Duration': int(64),
  int32: int(32),
  rune: int(32),
  int16: int(16),
  int8: int(8),
  uint: uint(64),
  uint64: uint(64),
  uintptr: uint(64),
  uint32: uint(32),
  uint16: uint(16),
  uint8: uint(8),
  byte: uint(8),
};

/**
 * The value Go's decoder stores for the number `literal` (JSON number syntax) in a field of
 * `goType` (`int`, `uint8`, `time.Duration`, `float64`..., without `*`), or `undefined` when Go
 * refuses it. Integers beyond 2^53 come back as the nearest double. A type not listed is taken
 * as `int`.
 */
export function goNumberValue(literal: string, goType: string): number | undefined {
  if (goType === 'float64' || goType === 'float32') {
    const value = Number(literal);
    return Number.isFinite(goType === 'float32' ? Math.fround(value) : value) ? value : undefined;
  }
  const [min, max] = INTEGER_RANGES[goType] ?? INTEGER_RANGES.int!;
  const syntax = min < 0n ? /^-?\d+$/ : /^\d+$/;
  // JSON has no leading zeros: more than 20 digits is out of every range (and spares BigInt a
  // megabyte of them).
  if (literal.length > 21 || !syntax.test(literal)) return undefined;
  const value = BigInt(literal);
  if (value < min || value > max) return undefined;
  return Number(value);
}

/**
 * An integer as Go's `%d` writes it: every digit (JavaScript writes 2^63 as
 * `9223372036854776000`, and from 1e21 on with an exponent).
 */
export function formatGoInt(value: number): string {
  return Number.isInteger(value) ? BigInt(value).toString() : String(value);
}
