/**
 * The `mscs` route preset: events as the Splunk Add-on for Microsoft Cloud Services' Event Hub input
 * (`mscs_azure_event_hub.py`, reference/splunk-hec.md §10) writes them, so searches, dashboards and alerts keep
 * working after the Heavy Forwarder is retired: sourcetype `mscs:azure:eventhub`, source
 * `eventhub://<namespace FQDN>/<event hub>;` (plus `partition_id=<n>;` and `consumer_group=<group>;` with the
 * add-on's `event_format_flags` bits 2 and 4), one event per element of a `records` array, and, when asked, `_raw`
 * byte for byte as the add-on's `json.dumps` wrote it. Host and time are not set by the add-on; logbridge sends
 * the record time (or the element's `time`), and the sink's host.
 * @module
 */
import { compileTemplate, type LogEvent, type Template } from '../engine/index.ts';
import { pythonJsonDumps } from './python-json.ts';
import { splitRecords } from './split-records.ts';

/** The add-on's sourcetype. */
export const MSCS_SOURCETYPE = 'mscs:azure:eventhub';

/** `event_format_flags` bits (mscs_azure_event_hub.py `EventHubConsumerHandler`). */
export const MSCS_FLAGS = { withSystemProperties: 1, withPartitionId: 2, withConsumerGroup: 4 } as const;

/** Validated preset settings. */
export interface MscsSettings {
  /** Event Hubs namespace FQDN (`acme.servicebus.windows.net`). */
  readonly namespace: string;
  /** `event_format_flags`, without bit 1 (system properties wrapping is not reproduced). */
  readonly flags: number;
  /** Written after `consumer_group=` (flag 4). */
  readonly consumerGroup: string;
  /** Event bodies as Python `json.dumps` text rather than JSON objects. */
  readonly pythonRaw: boolean;
  readonly ensureAscii: boolean;
}

const literal = (text: string): string => text.replaceAll('$', '$$$$');

/** @returns the add-on's source, as a template over the record's topic (the event hub) and partition. */
export function mscsSource(settings: MscsSettings): Template {
  const partition = settings.flags & MSCS_FLAGS.withPartitionId ? 'partition_id=${partition};' : '';
  const group =
    settings.flags & MSCS_FLAGS.withConsumerGroup ? `consumer_group=${literal(settings.consumerGroup)};` : '';
  return compileTemplate(`eventhub://${literal(settings.namespace)}/\${topic};${partition}${group}`);
}

/**
 * @returns the events the add-on writes for one record: one per `records` element (none for an empty array), else
 *   the event itself; bodies re-serialised the Python way when `pythonRaw`.
 */
export function mscsEvents(event: LogEvent, settings: MscsSettings): LogEvent[] {
  const dumps = (value: Parameters<typeof pythonJsonDumps>[0]): string =>
    pythonJsonDumps(value, settings.ensureAscii);
  const events = splitRecords(
    event,
    { field: 'records', timeField: 'time' },
    settings.pythonRaw ? dumps : JSON.stringify,
  ) ?? [event];
  if (!settings.pythonRaw) return events;
  return events.map((child) =>
    typeof child.body === 'string' ? child : { ...child, body: dumps(child.body) },
  );
}
