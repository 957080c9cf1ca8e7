// go-multierror's list format, which Nomad answers when several tasks fail one lifecycle call:
// `1 error occurred:\n\t* …\n\n` or `N errors occurred:\n\t* …\n\t* …\n\n`.
export function formatMultiError(errors: string[]): string {
  const head = errors.length === 1 ? '1 error occurred:' : `${errors.length} errors occurred:`;
  return `${head}\n${errors.map((e) => `\t* ${e}`).join('\n')}\n\n`;
}
