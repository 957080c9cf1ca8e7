// Nomad's `acl-bootstrap-reset` file (nomad/acl_endpoint.go fileBootstrapResetIndex): an operator
// who lost the bootstrap token writes the reset index (the index bootstrap answered, which a
// refused bootstrap names) into `<data dir>/acl-bootstrap-reset`, and may bootstrap once more.
//
// Departure: Nomad logs a file it cannot read or parse and carries on as if there were none;
// berth says what is wrong in the refusal (naming the file, never its path or content), so the
// operator sees it where they are looking.
import { open } from 'node:fs/promises';
import { join } from 'node:path';

/** The file's name inside the data directory. */
export const ACL_BOOTSTRAP_RESET_FILE = 'acl-bootstrap-reset';

/** The most the file is read: a reset index is at most 20 digits, plus some whitespace. */
const MAX_BYTES = 64;

/** Why the file is not a usable reset index, in words an operator can act on. */
export class ResetFileError extends Error {}

/**
 * The reset index the file holds, or `undefined` when there is no file (or no data directory).
 * Throws {@link ResetFileError} when the file exists but cannot be read or does not hold one
 * decimal number (surrounding whitespace allowed).
 */
export async function readBootstrapResetIndex(
  dataDir: string | undefined,
): Promise<number | undefined> {
  if (dataDir === undefined) return undefined;
  const path = join(dataDir, ACL_BOOTSTRAP_RESET_FILE);
  let text: string;
  try {
    const file = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(MAX_BYTES + 1);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
      if (bytesRead > MAX_BYTES) {
        throw new ResetFileError(
          `${ACL_BOOTSTRAP_RESET_FILE} is larger than ${MAX_BYTES} bytes; it must hold only the reset index`,
        );
      }
      text = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await file.close();
    }
  } catch (error) {
    if (error instanceof ResetFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // Any other failure of the file system (EACCES, EISDIR, ...) is the operator's to fix.
    if (typeof code === 'string') {
      throw new ResetFileError(`${ACL_BOOTSTRAP_RESET_FILE} cannot be read (${code})`);
    }
    throw new Error(`acl: reading ${ACL_BOOTSTRAP_RESET_FILE} failed`, { cause: error });
  }
  const trimmed = text.trim();
  const value = /^\d{1,20}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(value)) {
    throw new ResetFileError(
      `${ACL_BOOTSTRAP_RESET_FILE} does not hold a reset index (one decimal number)`,
    );
  }
  return value;
}
