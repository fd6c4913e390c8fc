/**
 * The `logbridge offsets` commands: show, reset, export, import. Each resolves with its exit code
 * ({@link OFFSETS_EXIT}) and writes through an {@link OffsetsIo}, so tests run them in-process.
 * @module
 */
import { writeFileSync } from 'node:fs';
import {
  applyPlan,
  describeGroupOffsets,
  exportOffsets,
  formatOffsetsDocument,
  GroupActiveError,
  groupActivity,
  isGroupActive,
  type OffsetsAdapter,
  OffsetsFileError,
  type OffsetsFileFormat,
  OffsetsRequestError,
  planReset,
  plannedChanges,
  readOffsetsFile,
  type ResetSpec,
} from '../offsets/index.ts';
import { BridgeError } from '../engine/index.ts';
import { type OffsetsConnector, offsetsAdapter, readOffsetsConnector } from './offsets-connector.ts';
import {
  type ResetOptions,
  resetSpecOf,
  type SelectionOptions,
  selectionOf,
  UsageError,
} from './offsets-options.ts';
import { describeActivity, planJson, planTable, statesJson, statesTable } from './offsets-output.ts';
import { startPolicyKey } from '../worker/index.ts';

/**
 * Exit codes of `logbridge offsets …`: 0 done (or dry run printed), 1 invalid connector file, offsets file or
 * request (unknown topic or partition), 2 usage, 3 Kafka failed or the change did not apply, 4 the consumer group
 * has live members (nothing changed).
 */
export const OFFSETS_EXIT = { ok: 0, invalid: 1, usage: 2, failed: 3, groupActive: 4 } as const;

/** Where the commands write: `out` for results (stdout), `err` for problems (stderr). */
export interface OffsetsIo {
  out(text: string): void;
  err(text: string): void;
}

const consoleIo: OffsetsIo = {
  out: (text) => {
    console.log(text);
  },
  err: (text) => {
    console.error(text);
  },
};

/** Options shared by every subcommand. */
export interface OutputOptions {
  readonly json?: boolean;
}

/** `offsets show`: per partition committed, log start and end, lag; and the group's members. */
export async function offsetsShow(
  file: string,
  options: OutputOptions,
  io: OffsetsIo = consoleIo,
): Promise<number> {
  return withConnector(file, io, async (connector, offsets) => {
    const { groupId, topics } = connector.source;
    const [activity, states] = await Promise.all([
      groupActivity(offsets, groupId),
      describeGroupOffsets(offsets, groupId, topics),
    ]);
    if (options.json === true) io.out(statesJson(connector.name, activity, states));
    else io.out(`consumer group ${groupId}: ${describeActivity(activity)}\n${statesTable(states)}`);
    return OFFSETS_EXIT.ok;
  });
}

/** Options of `offsets reset`. */
export type ResetCommandOptions = ResetOptions &
  SelectionOptions &
  OutputOptions & { readonly execute?: boolean };

/** `offsets reset`: prints the plan; changes the offsets only with `--execute`. */
export async function offsetsReset(
  file: string,
  options: ResetCommandOptions,
  io: OffsetsIo = consoleIo,
): Promise<number> {
  return withConnector(file, io, async (connector, offsets) => {
    const spec = resetSpecOf(options);
    return planAndApply({ connector, offsets, spec, options, io });
  });
}

/** Options of `offsets import`. */
export type ImportCommandOptions = SelectionOptions &
  OutputOptions & { readonly execute?: boolean; readonly format?: OffsetsFileFormat | 'auto' };

/** `offsets import`: offsets from a file (ours, or the add-on's or Azure's checkpoints), as a plan. */
export async function offsetsImport(
  file: string,
  offsetsFile: string,
  options: ImportCommandOptions,
  io: OffsetsIo = consoleIo,
): Promise<number> {
  return withConnector(file, io, async (connector, offsets) => {
    const [topic, ...more] = options.topic ?? [];
    const imported = readOffsetsFile(offsetsFile, {
      topics: connector.source.topics,
      ...(options.format === undefined || options.format === 'auto' ? {} : { format: options.format }),
      ...(topic === undefined || more.length > 0 ? {} : { topic }),
    });
    if (options.json !== true) io.out(`${offsetsFile}: ${imported.origin}`);
    for (const warning of imported.warnings) io.err(`warning: ${warning}`);
    const spec: ResetSpec = { to: 'explicit', offsets: imported.offsets };
    return planAndApply({ connector, offsets, spec, options, io });
  });
}

/** Options of `offsets export`. */
export type ExportCommandOptions = OutputOptions & { readonly force?: boolean };

/** `offsets export`: writes the committed offsets of every partition to a logbridge offsets file. */
export async function offsetsExport(
  file: string,
  offsetsFile: string,
  options: ExportCommandOptions,
  io: OffsetsIo = consoleIo,
): Promise<number> {
  return withConnector(file, io, async (connector, offsets) => {
    const { groupId, topics } = connector.source;
    const activity = await groupActivity(offsets, groupId);
    const document = await exportOffsets(offsets, { connector: connector.name, groupId, topics });
    try {
      writeFileSync(offsetsFile, formatOffsetsDocument(document), {
        flag: options.force === true ? 'w' : 'wx',
      });
    } catch (error) {
      const exists = (error as { code?: string }).code === 'EEXIST';
      io.err(
        `${offsetsFile}: ${exists ? 'exists already (add --force to replace it)' : (error as Error).message}`,
      );
      return OFFSETS_EXIT.invalid;
    }
    const committed = document.offsets.filter((o) => o.offset !== null).length;
    if (options.json === true) io.out(JSON.stringify({ file: offsetsFile, ...document }, null, 2));
    else
      io.out(
        `${offsetsFile}: ${document.offsets.length} partitions of group ${groupId}, ${committed} with a committed offset`,
      );
    if (isGroupActive(activity)) {
      io.err(`note: group ${groupId} is ${describeActivity(activity)}: its offsets keep moving`);
    }
    return OFFSETS_EXIT.ok;
  });
}

interface PlanRequest {
  readonly connector: OffsetsConnector;
  readonly offsets: OffsetsAdapter;
  readonly spec: ResetSpec;
  readonly options: SelectionOptions & OutputOptions & { readonly execute?: boolean };
  readonly io: OffsetsIo;
}

/** Plans, prints, and applies only with --execute and an inactive group. */
async function planAndApply({ connector, offsets, spec, options, io }: PlanRequest): Promise<number> {
  const { groupId, topics, autoOffsetReset } = connector.source;
  const selection = selectionOf(options);
  const plan = await planReset(offsets, { groupId, topics }, spec, {
    ...selection,
    autoOffsetReset,
    policyKey: startPolicyKey(connector.sourceType),
  });
  const activity = await groupActivity(offsets, groupId);
  const changes = plannedChanges(plan).length;
  const json = options.json === true;
  if (!json) {
    io.out(`consumer group ${groupId}: ${describeActivity(activity)}`);
    io.out(`reset ${plan.description}: ${changes} of ${plan.partitions.length} partition(s) change`);
    io.out(planTable(plan.partitions));
  }
  if (isGroupActive(activity)) {
    if (json) io.out(planJson(connector.name, activity, plan, false));
    throw new GroupActiveError(activity, { connector: connector.name });
  }
  const execute = options.execute === true && changes > 0;
  if (execute) await applyPlan(offsets, plan, { connector: connector.name });
  if (json) io.out(planJson(connector.name, activity, plan, execute));
  if (execute) io.err(`done: the offsets of ${changes} partition(s) of group ${groupId} changed`);
  else if (changes === 0) io.err('nothing to change');
  else io.err('dry run: nothing changed; add --execute to apply');
  return OFFSETS_EXIT.ok;
}

/** Reads the connector, runs `use` with its source's offsets adapter, and maps failures to messages and exit codes. */
async function withConnector(
  file: string,
  io: OffsetsIo,
  use: (connector: OffsetsConnector, offsets: OffsetsAdapter) => Promise<number>,
): Promise<number> {
  const read = readOffsetsConnector(file);
  if ('problems' in read) {
    for (const problem of read.problems) io.err(problem);
    return OFFSETS_EXIT.invalid;
  }
  try {
    return await use(read.connector, offsetsAdapter(read.connector));
  } catch (error) {
    io.err(errorLine(error));
    return exitCodeOf(error);
  }
}

function errorLine(error: unknown): string {
  if (error instanceof BridgeError) return `error: ${error.code}: ${error.message}`;
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}

/** The exit code of a failure. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof GroupActiveError) return OFFSETS_EXIT.groupActive;
  if (error instanceof UsageError) return OFFSETS_EXIT.usage;
  if (error instanceof OffsetsRequestError || error instanceof OffsetsFileError) return OFFSETS_EXIT.invalid;
  return OFFSETS_EXIT.failed;
}
