/** Options of the HEC test server, with every default in one block. */
import { hostname } from 'node:os';
import type { TlsOptions } from 'node:tls';
import type { HecEvent } from './event.ts';
import { DEFAULT_LINE_BREAKER } from './raw.ts';

/** A token's settings, as in inputs.conf `[http://<name>]`. */
export interface TokenConfig {
  /** Indexes the token may write to (`indexes`); an event for another index gets 400 code 7. Default: any. */
  readonly indexes?: readonly string[];
  /** Index for events that name none (`index`). @default 'main' */
  readonly defaultIndex?: string;
  /** Indexer acknowledgement (`useACK`): channel required, `ackId` in replies, `/ack` served. @default false */
  readonly ack?: boolean;
  /** A disabled token gets 403 code 1. @default false */
  readonly disabled?: boolean;
  /** `allowQueryStringAuth`: accept `?token=` (otherwise 400 code 16). @default false */
  readonly allowQueryStringAuth?: boolean;
  /** Default `host`. @default os.hostname() (inputs.conf `host = $decideOnStartup`) */
  readonly host?: string;
  /** Default `source`. @default `http:<name>` */
  readonly source?: string;
  /** Default `sourcetype`. @default 'httpevent' */
  readonly sourcetype?: string;
  /** The input's name, used in the default source. @default 'hec' */
  readonly name?: string;
}

/** Indexer-ack behaviour; applies to ack ids issued after it is set. */
export interface AckSettings {
  /** Time from acceptance until `/ack` reports `true`; `Infinity` holds acks until `releaseAcks()`. @default 0 */
  readonly delayMs?: number;
  /** Probability in [0, 1] that an ack id never becomes `true` (the indexer lost the batch). @default 0 */
  readonly lossRate?: number;
}

/** Limits and cleanup of the ack service (limits.conf `[http_input]`, inputs.conf `[http]`, reference §6). */
export interface AckLimits {
  /** Idle channels are forgotten after this long (`ackIdleCleanup = true`, `maxIdleTime = 600`). @default 600_000 */
  readonly maxIdleMs?: number;
  /** Pending ack ids per channel; past it the oldest is dropped (reports `false`, as Vector does). @default 1_000_000 */
  readonly maxPendingPerChannel?: number;
  /** Ack channels; a request opening one more gets 503 code 9 (as Vector does). @default 1_000_000 */
  readonly maxChannels?: number;
}

/** Options of {@link startHecServer}. Everything is optional. */
export interface HecServerOptions {
  /** Port to listen on; 0 picks a free one, kept across `stop()`/`start()`. @default 0 */
  readonly port?: number;
  /** Address to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** Tokens and their settings. @default { [DEFAULT_TOKEN]: {} } */
  readonly tokens?: Readonly<Record<string, TokenConfig>>;
  /** `max_content_length` in bytes; more → 413. @default 838_860_800 (limits.conf since 7.1.0) */
  readonly maxContentLength?: number;
  /**
   * Whether `maxContentLength` counts the bytes on the wire or the decompressed body (reference §3: unconfirmed).
   * @default 'wire'
   */
  readonly maxContentLengthOf?: 'wire' | 'decoded';
  /** Serve HTTPS with these options (`cert`, `key`, `ca`, `SNICallback`…). @default plain HTTP */
  readonly tls?: TlsOptions;
  /** Initial indexer-ack behaviour; see `setAck()`. */
  readonly ack?: AckSettings;
  /** Ack service limits. */
  readonly ackLimits?: AckLimits;
  /** `'events'` keeps every accepted event in `events`; `'count'` only counts them (benchmarks). @default 'events' */
  readonly record?: 'events' | 'count';
  /** Called with every accepted event, whatever `record` says: keep only what a test needs. */
  readonly onEvent?: (event: HecEvent) => void;
  /** Append accepted events as JSON lines to this file (created with its folder; the token is left out). */
  readonly out?: string;
  /** Keep at least the last this many requests in `requests`. @default 10_000 */
  readonly maxRequestLog?: number;
  /**
   * On a 400 with `invalid-event-number` i, record the events before i as accepted. Real Splunk may index them
   * (reference §4: unconfirmed); by default nothing of a refused request is recorded. @default false
   */
  readonly partialIndexing?: boolean;
  /** Require a channel on `/raw` even when the token has ack off (reference §2: unconfirmed). @default false */
  readonly rawRequiresChannel?: boolean;
  /** Line breaker for `/raw`; a RegExp without capture groups. @default /[\r\n]+/ */
  readonly rawLineBreaker?: RegExp;
  /** Random source for ack loss, for reproducible tests. @default Math.random */
  readonly random?: () => number;
}

/** The token configured when none is given. */
export const DEFAULT_TOKEN = '00000000-0000-4000-8000-000000000001';

/** A token with every default resolved. */
export interface ResolvedToken {
  readonly allowedIndexes: ReadonlySet<string> | undefined;
  readonly defaultIndex: string;
  readonly ack: boolean;
  readonly disabled: boolean;
  readonly allowQueryStringAuth: boolean;
  readonly host: string;
  readonly source: string;
  readonly sourcetype: string;
}

/** Options with every default resolved. */
export interface ResolvedOptions {
  readonly port: number;
  readonly host: string;
  readonly tokens: ReadonlyMap<string, ResolvedToken>;
  readonly maxContentLength: number;
  readonly maxContentLengthOf: 'wire' | 'decoded';
  readonly tls: TlsOptions | undefined;
  readonly ack: Required<AckSettings>;
  readonly ackLimits: Required<AckLimits>;
  readonly record: 'events' | 'count';
  readonly onEvent: ((event: HecEvent) => void) | undefined;
  readonly out: string | undefined;
  readonly maxRequestLog: number;
  readonly partialIndexing: boolean;
  readonly rawRequiresChannel: boolean;
  readonly rawLineBreaker: RegExp;
  readonly random: () => number;
}

function resolveToken(config: TokenConfig): ResolvedToken {
  return {
    allowedIndexes: config.indexes === undefined ? undefined : new Set(config.indexes),
    defaultIndex: config.defaultIndex ?? 'main',
    ack: config.ack ?? false,
    disabled: config.disabled ?? false,
    allowQueryStringAuth: config.allowQueryStringAuth ?? false,
    host: config.host ?? hostname(),
    source: config.source ?? `http:${config.name ?? 'hec'}`,
    sourcetype: config.sourcetype ?? 'httpevent',
  };
}

/** Resolves defaults. Throws `RangeError` for a token-less configuration or an ack loss rate outside [0, 1]. */
export function resolveOptions(options: HecServerOptions): ResolvedOptions {
  const tokens = new Map(
    Object.entries(options.tokens ?? { [DEFAULT_TOKEN]: {} }).map(([t, c]) => [t, resolveToken(c)]),
  );
  if (tokens.size === 0) throw new RangeError('HEC test server: at least one token is required');
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    tokens,
    maxContentLength: options.maxContentLength ?? 838_860_800,
    maxContentLengthOf: options.maxContentLengthOf ?? 'wire',
    tls: options.tls,
    ack: resolveAckSettings(options.ack ?? {}, { delayMs: 0, lossRate: 0 }),
    ackLimits: {
      maxIdleMs: options.ackLimits?.maxIdleMs ?? 600_000,
      maxPendingPerChannel: options.ackLimits?.maxPendingPerChannel ?? 1_000_000,
      maxChannels: options.ackLimits?.maxChannels ?? 1_000_000,
    },
    record: options.record ?? 'events',
    onEvent: options.onEvent,
    out: options.out,
    maxRequestLog: options.maxRequestLog ?? 10_000,
    partialIndexing: options.partialIndexing ?? false,
    rawRequiresChannel: options.rawRequiresChannel ?? false,
    rawLineBreaker: options.rawLineBreaker ?? DEFAULT_LINE_BREAKER,
    random: options.random ?? Math.random,
  };
}

/** Merges ack settings over the current ones. Throws `RangeError` for a loss rate outside [0, 1]. */
export function resolveAckSettings(
  settings: AckSettings,
  current: Required<AckSettings>,
): Required<AckSettings> {
  const resolved = {
    delayMs: settings.delayMs ?? current.delayMs,
    lossRate: settings.lossRate ?? current.lossRate,
  };
  if (!(resolved.lossRate >= 0 && resolved.lossRate <= 1)) {
    throw new RangeError(`HEC test server: ack lossRate must be in [0, 1], got ${resolved.lossRate}`);
  }
  if (!(resolved.delayMs >= 0)) throw new RangeError(`HEC test server: ack delayMs must be >= 0`);
  return resolved;
}
