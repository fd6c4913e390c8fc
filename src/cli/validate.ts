/**
 * `logbridge validate [--offline] <files>`: checks connector files completely and prints every problem with its
 * path. Offline (CI without the secrets), `${env:}`/`${file:}` references are not resolved: the keys holding one
 * are reported as not checked, and everything else is.
 * @module
 */
import { formatIssue, readDefinitionFile } from '../config/index.ts';
import { validateConnector } from '../worker/index.ts';
import { EXIT } from './run.ts';

/** Options of {@link validate}. */
export interface ValidateCliOptions {
  readonly offline?: boolean;
}

/** Validates files; prints `file: path: message` lines; returns the exit code. */
export function validate(
  files: readonly string[],
  out: (line: string) => void = console.log,
  options: ValidateCliOptions = {},
): number {
  let problems = 0;
  for (const file of files) {
    const { definition, issues } = readDefinitionFile(file);
    const checked =
      definition === undefined
        ? { issues, skipped: [] }
        : validateConnector(definition, { offline: options.offline === true });
    for (const issue of checked.issues) out(formatIssue(file, issue));
    if (checked.issues.length === 0) out(`${file}: ok${skippedNote(checked.skipped)}`);
    problems += checked.issues.length;
  }
  return problems === 0 ? EXIT.ok : EXIT.invalid;
}

function skippedNote(skipped: readonly string[]): string {
  if (skipped.length === 0) return '';
  const keys = skipped.map((path) => path.replace(/^config\./, '')).join(', ');
  return ` (offline: not checked, resolved when the connector starts: ${keys})`;
}
