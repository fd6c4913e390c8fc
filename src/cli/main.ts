#!/usr/bin/env -S node --max-old-space-size=128 --max-semi-space-size=16 --enable-experimental-regexp-engine-on-excessive-backtracks
/**
 * The `logbridge` command. This file alone reads argv and sets the exit code.
 * @module
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { connectorsCommand, statusCommand } from './connectors.ts';
import { offsetsCommand } from './offsets.ts';
import { previewCommand } from './preview.ts';
import { replayCommand } from './replay.ts';
import { runMember } from './member.ts';
import { EXIT, run } from './run.ts';
import { validate } from './validate.ts';
import { containKafkajsWarnings } from './warnings.ts';

// kafkajs 2.2.4 warns of a negative timeout of its own (src/cli/warnings.ts); every other warning is printed.
containKafkajsWarnings();

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const program = new Command('logbridge')
  .description(
    'Event Hubs (Kafka endpoint) to Splunk HEC and Solace, committing only what every sink accepted.',
  )
  .version(version)
  .exitOverride();

program
  .command('run')
  .description('Run connectors until SIGTERM/SIGINT (then drain, commit and exit 0).')
  .argument('[connectors...]', 'connector definition files ({"name": ..., "config": {...}})')
  .option('-c, --config <file>', 'worker settings file (JSON); LOGBRIDGE_* environment variables override it')
  .addHelpText('after', '\nExample:\n  logbridge run --config worker.json connectors/lab.json')
  .action(async (files: string[], options: { config?: string }) => {
    const code = await run(files, { ...options, version });
    // The stop is complete and logged; a client cut short (a peer that never answers) may still hold a socket or
    // a retry timer, so the process ends here instead of when it gives up.
    process.exit(code);
  });

// Started by `run` for workers > 1 (src/cli/member.ts); not for operators, so not in the help.
program
  .command('member', { hidden: true })
  .option('-c, --config <file>', 'worker settings file (JSON)')
  .action(async (options: { config?: string }) => {
    process.exit(await runMember(options));
  });

program
  .command('validate')
  .description('Check connector files and print every problem with its path (exit 1 if any).')
  .argument('<connectors...>', 'connector definition files')
  .option(
    '--offline',
    'do not resolve ${env:}/${file:} secret references (CI without the secrets): the keys holding one are not checked',
  )
  .addHelpText(
    'after',
    '\nExamples:\n  logbridge validate connectors/*.json\n  logbridge validate --offline connectors/examples/*.json',
  )
  .action((files: string[], options: { offline?: boolean }) => {
    process.exitCode = validate(files, console.log, { offline: options.offline === true });
  });

// `logbridge offsets show|reset|export|import` (src/cli/offsets.ts; exit codes in docs/offsets.md).
program.addCommand(offsetsCommand());
program.addCommand(statusCommand());
program.addCommand(connectorsCommand());
program.addCommand(previewCommand().exitOverride());
program.addCommand(replayCommand().exitOverride());

try {
  await program.parseAsync();
} catch (error) {
  const code = (error as { exitCode?: unknown }).exitCode;
  if (typeof code === 'number') {
    // commander already printed the usage problem (or the help / version).
    process.exitCode = code === 0 ? EXIT.ok : EXIT.usage;
  } else {
    console.error(`logbridge: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT.failed;
  }
}
