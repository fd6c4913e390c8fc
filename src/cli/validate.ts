/**
 * `logbridge validate <files>`: checks connector files completely and prints every problem with its path.
 * @module
 */
import { readDefinitionFile } from '../config/index.ts';
import { validateConnector } from '../worker/index.ts';
import { EXIT } from './run.ts';

/** Validates files; prints `file: path: message` lines; resolves with the exit code. */
export function validate(files: readonly string[], out: (line: string) => void = console.log): number {
  let problems = 0;
  for (const file of files) {
    const { definition, issues } = readDefinitionFile(file);
    const all = definition === undefined ? issues : validateConnector(definition).issues;
    for (const issue of all) out(`${file}: ${issue.path}: ${issue.message}`);
    if (all.length === 0) out(`${file}: ok`);
    problems += all.length;
  }
  return problems === 0 ? EXIT.ok : EXIT.invalid;
}
