/**
 * `logbridge offsets`: offline inspection and reset of a connector's checkpoints (its consumer group's committed
 * offsets), the way `kafka-consumer-groups --reset-offsets` works: a plan first, a change only with `--execute`,
 * and never while the group has live members. docs/offsets.md documents every command.
 * @module
 */
import { Command, Option } from 'commander';
import { OFFSETS_FILE_FORMATS } from '../offsets/index.ts';
import {
  type ExportCommandOptions,
  type ImportCommandOptions,
  OFFSETS_EXIT,
  offsetsExport,
  offsetsImport,
  type OutputOptions,
  offsetsReset,
  offsetsShow,
  type ResetCommandOptions,
} from './offsets-actions.ts';

const EXIT_CODES = `
Exit codes:
  ${OFFSETS_EXIT.ok}  done (or the dry run printed its plan)
  ${OFFSETS_EXIT.invalid}  invalid connector file, offsets file, topic or partition
  ${OFFSETS_EXIT.usage}  invalid command line
  ${OFFSETS_EXIT.failed}  Kafka could not be reached or the change did not apply
  ${OFFSETS_EXIT.groupActive}  the consumer group has live members: stop the connector first (nothing changed)`;

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The `offsets` command and its subcommands, ready for `program.addCommand()`. */
export function offsetsCommand(): Command {
  const offsets = new Command('offsets')
    .description(
      "Show, reset, export or import a connector's checkpoints (its consumer group's committed offsets), offline " +
        'against Kafka. Changes only with --execute, and never while the group has live members.',
    )
    .addHelpText('after', `\nSee docs/offsets.md.\n${EXIT_CODES}`)
    .exitOverride();
  for (const command of [showCommand(), resetCommand(), exportCommand(), importCommand()]) {
    offsets.addCommand(command.exitOverride());
  }
  return offsets;
}

function setExitCode(code: number): void {
  process.exitCode = code;
}

function showCommand(): Command {
  return new Command('show')
    .description('Per partition: committed offset, log start and end, lag; and who is in the consumer group.')
    .argument('<connector>', 'connector definition file ({"name": ..., "config": {...}})')
    .option('--json', 'print JSON instead of a table')
    .addHelpText(
      'after',
      `\nExamples:\n  logbridge offsets show connectors/aks-logs.json\n  logbridge offsets show connectors/aks-logs.json --json\n${EXIT_CODES}`,
    )
    .action(async (file: string, options: OutputOptions) => {
      setExitCode(await offsetsShow(file, options));
    });
}

function resetCommand(): Command {
  return new Command('reset')
    .description(
      'Plan a reset of the committed offsets and print it (current → target per partition); apply it with ' +
        '--execute. Targets outside the retained log are clamped to its start or end, with a note.',
    )
    .argument('<connector>', 'connector definition file')
    .option('--to-earliest', 'to the log start (the oldest retained record)')
    .option('--to-latest', 'to the log end (skip everything retained)')
    .option('--to-datetime <ISO>', 'to the first record at or after this time (ISO 8601 with zone)')
    .option('--to-offset <n>', 'to offset n on every selected partition')
    .option('--shift-by <n>', 'move by n records from the committed offset (negative: back)')
    .option('--topic <topic>', "only this topic of the connector's (repeatable)", collect)
    .option('--partition <p...>', 'only these partitions (repeatable or comma-separated)')
    .option('--execute', 'apply the plan (without it nothing changes)')
    .option('--json', 'print the plan as JSON')
    .addHelpText(
      'after',
      `
Examples:
  logbridge offsets reset connectors/aks-logs.json --to-datetime 2026-11-24T08:00:00Z
  logbridge offsets reset connectors/aks-logs.json --to-datetime 2026-11-24T08:00:00Z --execute
  logbridge offsets reset connectors/aks-logs.json --shift-by -1000 --partition 0 3 --execute
  logbridge offsets reset connectors/aks-logs.json --to-latest --topic aks-logs --execute
${EXIT_CODES}`,
    )
    .action(async (file: string, options: ResetCommandOptions) => {
      setExitCode(await offsetsReset(file, options));
    });
}

function exportCommand(): Command {
  return new Command('export')
    .description(
      'Write the committed offset of every partition to a logbridge offsets file (JSON, KIP-875 rows), e.g. a ' +
        'backup before a reset.',
    )
    .argument('<connector>', 'connector definition file')
    .argument('<file>', 'offsets file to write')
    .option('--force', 'replace the file if it exists')
    .option('--json', 'print the written document as JSON')
    .addHelpText(
      'after',
      `\nExample:\n  logbridge offsets export connectors/aks-logs.json aks-logs-offsets.json\n${EXIT_CODES}`,
    )
    .action(async (file: string, offsetsFile: string, options: ExportCommandOptions) => {
      setExitCode(await offsetsExport(file, offsetsFile, options));
    });
}

function importCommand(): Command {
  return new Command('import')
    .description(
      'Plan setting the offsets from a file and print it; apply it with --execute. Reads a logbridge offsets ' +
        "file, the Splunk MSCS add-on's checkpoint file (<namespace>-<event hub>-<consumer group>.v1.ckpt), or " +
        'Azure Blob checkpoints (JSON); a checkpoint becomes Kafka offset = sequence number + 1.',
    )
    .argument('<connector>', 'connector definition file')
    .argument('<file>', 'offsets or checkpoint file')
    .addOption(
      new Option('--format <format>', 'file format')
        .choices(['auto', ...OFFSETS_FILE_FORMATS])
        .default('auto'),
    )
    .option(
      '--topic <topic>',
      "the topic of a checkpoint file's event hub, when the file does not tell",
      collect,
    )
    .option('--partition <p...>', 'only these partitions (repeatable or comma-separated)')
    .option('--execute', 'apply the plan (without it nothing changes)')
    .option('--json', 'print the plan as JSON')
    .addHelpText(
      'after',
      `
Examples:
  logbridge offsets import connectors/aks-logs.json aks-logs-offsets.json --execute
  logbridge offsets import connectors/aks-logs.json \\
    acme.servicebus.windows.net-aks-logs-splunk.v1.ckpt --format mscs-checkpoint
  logbridge offsets import connectors/aks-logs.json checkpoints.json --format azure-checkpoints --topic aks-logs
${EXIT_CODES}`,
    )
    .action(async (file: string, offsetsFile: string, options: ImportCommandOptions) => {
      setExitCode(await offsetsImport(file, offsetsFile, options));
    });
}
