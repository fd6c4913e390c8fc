/**
 * `logbridge status` and `logbridge connectors …`: the REST API from the command line.
 * @module
 */
import { Command, Option } from 'commander';
import { formatIssue, readDefinitionFile } from '../config/index.ts';
import { callApi, type RestAnswer, type RestTarget } from './rest-client.ts';
import { EXIT } from './run.ts';

interface ErrorBody {
  readonly code: string;
  readonly message?: string;
}

interface StatusBody {
  readonly name: string;
  readonly connector: { readonly state: string; readonly trace?: string };
  readonly tasks?: readonly { readonly id: number; readonly state: string; readonly trace?: string }[];
  readonly logbridge?: {
    readonly degraded: boolean;
    readonly source?: { readonly id: string; readonly healthy: boolean; readonly last_error?: ErrorBody };
    readonly in_flight: { readonly records: number; readonly full: boolean };
    readonly offsets_read_at?: string | null;
    readonly offsets_last_known?: boolean;
    readonly partitions: readonly { readonly lag: number }[];
    readonly sinks: readonly {
      readonly id: string;
      readonly healthy: boolean;
      readonly last_error?: ErrorBody;
    }[];
  };
}

const urlOption = (): Option =>
  new Option('--url <url>', 'REST API base URL').env('LOGBRIDGE_URL').default('http://127.0.0.1:8083');
const tokenOption = (): Option =>
  new Option('--token <token>', 'bearer token').env('LOGBRIDGE_REST_AUTH_TOKEN');

/** `logbridge status`. */
export function statusCommand(): Command {
  return new Command('status')
    .description(
      'One line per connector: state, lag, in-flight records and sink health (calls the REST API).',
    )
    .addOption(urlOption())
    .addOption(tokenOption())
    .addHelpText('after', '\nExample:\n  logbridge status --url http://logbridge:8083')
    .action(async (options: { url: string; token?: string }) => {
      const answer = await callApi(target(options), 'GET', '/connectors?expand=status');
      if (answer.status !== 200) {
        fail(answer);
        return;
      }
      for (const [name, { status }] of Object.entries(
        answer.body as Record<string, { status: StatusBody }>,
      )) {
        console.log(statusLine(name, status));
      }
    });
}

/** `logbridge connectors list|get|status|create|pause|resume|stop|restart|delete`. */
export function connectorsCommand(): Command {
  const command = new Command('connectors')
    .description('Manage connectors through the REST API (Kafka Connect calls).')
    .addHelpText(
      'after',
      '\nExamples:\n  logbridge connectors create connectors/aks-logs.json\n  logbridge connectors pause aks-logs',
    );
  const simple: [string, string, string, (name: string) => string, number[]][] = [
    ['get', 'GET', 'the definition (secrets hidden)', (n) => `/connectors/${n}`, [200]],
    ['status', 'GET', 'the full status', (n) => `/connectors/${n}/status`, [200]],
    [
      'pause',
      'PUT',
      'pause (in-flight records still settle and commit)',
      (n) => `/connectors/${n}/pause`,
      [202],
    ],
    ['resume', 'PUT', 'resume a paused or stopped connector', (n) => `/connectors/${n}/resume`, [202]],
    [
      'stop',
      'PUT',
      'stop (drain, commit, leave the group): needed before moving offsets',
      (n) => `/connectors/${n}/stop`,
      [204],
    ],
    ['restart', 'POST', 'restart', (n) => `/connectors/${n}/restart?includeTasks=true`, [202, 204]],
    ['delete', 'DELETE', 'delete', (n) => `/connectors/${n}`, [204]],
  ];
  for (const [name, method, description, path, ok] of simple) {
    command
      .command(name)
      .description(description)
      .argument('<connector>', 'connector name')
      .addOption(urlOption())
      .addOption(tokenOption())
      .action(async (connector: string, options: { url: string; token?: string }) => {
        show(await callApi(target(options), method, path(encodeURIComponent(connector))), ok);
      });
  }
  command
    .command('list')
    .description('connector names')
    .addOption(urlOption())
    .addOption(tokenOption())
    .action(async (options: { url: string; token?: string }) => {
      show(await callApi(target(options), 'GET', '/connectors'), [200]);
    });
  command
    .command('create')
    .description('create a connector from a definition file ({"name": …, "config": {…}})')
    .argument('<file>', 'connector definition file')
    .addOption(urlOption())
    .addOption(tokenOption())
    .action(async (file: string, options: { url: string; token?: string }) => {
      const { definition, issues } = readDefinitionFile(file);
      if (definition === undefined) {
        for (const issue of issues) console.error(formatIssue(file, issue));
        process.exitCode = EXIT.invalid;
        return;
      }
      show(await callApi(target(options), 'POST', '/connectors', definition), [201]);
    });
  return command;
}

function target(options: { url: string; token?: string }): RestTarget {
  return { url: options.url, token: options.token };
}

function show(answer: RestAnswer, ok: readonly number[]): void {
  if (!ok.includes(answer.status)) {
    fail(answer);
    return;
  }
  if (answer.body !== undefined) console.log(JSON.stringify(answer.body, null, 2));
}

function fail(answer: RestAnswer): void {
  const message = (answer.body as { message?: unknown } | undefined)?.message;
  console.error(
    `HTTP ${answer.status}: ${typeof message === 'string' ? message : JSON.stringify(answer.body)}`,
  );
  process.exitCode = answer.status === 404 || answer.status === 400 ? EXIT.invalid : EXIT.failed;
}

/**
 * One readable line of a connector's status: state and flags, lag (`?` before offsets were read; marked when it is
 * the last known lag of a stopped connector), in-flight records, the source's error while it is unhealthy, sinks.
 */
export function statusLine(name: string, status: StatusBody): string {
  const extra = status.logbridge;
  const flags = [
    extra?.degraded === true ? 'degraded' : '',
    extra?.in_flight.full === true ? 'paused: budget full' : '',
  ]
    .filter((f) => f !== '')
    .join(', ');
  const parts = [
    `${name}  ${status.connector.state}${flags === '' ? '' : ` (${flags})`}`,
    ...processesOf(status),
    lagOf(extra),
    `in flight ${extra?.in_flight.records ?? 0}`,
    ...healthOf(extra),
  ];
  const trace = status.connector.trace === undefined ? '' : `  ${status.connector.trace}`;
  return parts.join('  ') + trace;
}

/** With `workers` > 1: how many processes run the connector, and those not in the connector's state. */
function processesOf(status: StatusBody): string[] {
  const tasks = status.tasks ?? [];
  if (tasks.length < 2) return [];
  const odd = tasks
    .filter((t) => t.state !== status.connector.state)
    .map((t) => `task ${String(t.id)} ${t.state}${t.trace === undefined ? '' : `: ${t.trace}`}`);
  return [`${String(tasks.length)} processes${odd.length === 0 ? '' : ` (${odd.join('; ')})`}`];
}

function lagOf(extra: StatusBody['logbridge']): string {
  const read = extra?.offsets_read_at ?? null;
  if (extra === undefined || read === null || extra.partitions.length === 0) return 'lag ?';
  const lag = extra.partitions.reduce((sum, p) => sum + p.lag, 0);
  return extra.offsets_last_known === true ? `lag ${lag} (last known, read ${read})` : `lag ${lag}`;
}

function healthOf(extra: StatusBody['logbridge']): string[] {
  const source = extra?.source;
  const sourcePart =
    source === undefined || source.healthy
      ? []
      : [`${source.id} unhealthy (${errorText(source.last_error)})`];
  const sinks = (extra?.sinks ?? []).map(
    (s) => `${s.id} ${s.healthy ? 'ok' : `unhealthy (${errorText(s.last_error)})`}`,
  );
  return [[...sourcePart, ...sinks].join(', ')].filter((part) => part !== '');
}

function errorText(error: ErrorBody | undefined): string {
  if (error === undefined) return '?';
  return error.message === undefined ? error.code : `${error.code}: ${error.message}`;
}
