// Allocation ID parsing with the rules of Nomad's UUID index (go-memdb's UUIDFieldIndex): an exact
// lookup needs 36 characters, a prefix at most 36; both allow at most 4 hyphens anywhere, need an
// even number of hex digits once hyphens are removed, and are case-insensitive. Lengths count bytes,
// as Go does.
import { ErrorText, uuidInvalidByte, uuidInvalidLength, uuidTooManyHyphens } from '@berth/contract';

/** Why an ID or prefix cannot be looked up; the text after `alloc lookup failed: index error: `. */
export class UuidFormatError extends Error {}

function hexDigits(input: string, exact: boolean): string {
  const bytes = Buffer.from(input, 'utf8');
  if (exact && bytes.length !== 36) throw new UuidFormatError(ErrorText.UuidMustBe36Characters);
  if (bytes.length > 36) {
    throw new UuidFormatError(uuidInvalidLength(bytes.length));
  }
  const hyphens = bytes.filter((b) => b === 0x2d).length;
  if (hyphens > 4) {
    throw new UuidFormatError(uuidTooManyHyphens(hyphens));
  }
  const digits = bytes.filter((b) => b !== 0x2d);
  if (digits.length % 2 !== 0) {
    throw new UuidFormatError(ErrorText.UuidOddLength);
  }
  for (const b of digits) {
    const isHex = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
    if (!isHex) throw new UuidFormatError(uuidInvalidByte(b));
  }
  return Buffer.from(digits).toString('latin1').toLowerCase();
}

/** Inserts the hyphens of the stored form (8-4-4-4-12) into a run of lower-case hex digits. */
function hyphenate(digits: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i === 8 || i === 12 || i === 16 || i === 20) out += '-';
    out += digits[i];
  }
  return out;
}

/**
 * Normalises an ID for an exact lookup. Returns the stored (lower-case, hyphenated) form, or
 * `undefined` when the input is well formed but can never match a stored ID (36 bytes without
 * exactly 32 hex digits). Throws {@link UuidFormatError} when malformed.
 */
export function exactAllocId(input: string): string | undefined {
  const digits = hexDigits(input, true);
  return digits.length === 32 ? hyphenate(digits) : undefined;
}

/**
 * Normalises a list `prefix` to a prefix of the stored form: hyphens may stand anywhere in the
 * input (`b-a7bfb` means `ba7bfb`). Throws {@link UuidFormatError} when malformed.
 */
export function allocIdPrefix(input: string): string {
  return hyphenate(hexDigits(input, false));
}
