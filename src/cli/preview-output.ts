/**
 * The text `logbridge preview` prints for people (`--json` prints the report itself): per record, each transform's
 * count in and out and what it made, then what every sink would send; dead letters and a summary at the end.
 * @module
 */
import type { OutputView, PreviewReport, RecordTrace, SinkOutput, StepView } from '../preview/index.ts';

const json = (value: unknown): string => JSON.stringify(value);

/** The whole report as text. */
export function previewText(report: PreviewReport): string {
  const out: string[] = [
    `connector ${report.connector}: transforms ${report.transforms.join(' → ') || '(none)'}; sinks ${report.sinks.join(', ')}`,
    'nothing was sent, committed or dead-lettered to make this preview',
    '',
  ];
  for (const trace of report.records) out.push(...recordLines(trace), '');
  for (const flush of report.end_of_sample) {
    out.push(`end of sample: ${flush.from} ${flush.note}`);
    for (const step of flush.steps) out.push(...stepLines(step));
    for (const output of flush.outputs) out.push(...outputLines(output));
    out.push('');
  }
  if (report.dead_letters.length > 0) {
    out.push('dead letters:');
    for (const letter of report.dead_letters) {
      out.push(
        `  ${letter.record}  ${letter.stage} (${letter.component})  ${letter.code}: ${letter.reason}  → ${letter.outcome}`,
      );
    }
    out.push('');
  }
  const { summary } = report;
  const events = Object.entries(summary.events)
    .map(([sink, count]) => `${sink} ${count}`)
    .join(', ');
  out.push(
    `summary: ${summary.records} records; events per sink: ${events}; dropped ${summary.dropped}; dead-lettered ${summary.dead_lettered}`,
  );
  return out.join('\n');
}

function recordLines(trace: RecordTrace): string[] {
  const { record } = trace;
  const key = record.key === null ? '' : `  key ${record.key}`;
  const value = record.value ?? `(not UTF-8, base64) ${record.value_base64 ?? ''}`;
  const lines = [
    `record ${record.topic}/${record.partition}@${record.offset}  ${record.timestamp}${key}`,
    `  value      ${shorten(value, 300)}`,
  ];
  if (trace.dropped !== undefined) lines.push(`  dropped    ${trace.dropped}`);
  for (const step of trace.steps) lines.push(...stepLines(step));
  for (const output of trace.outputs) lines.push(...outputLines(output));
  return lines;
}

function stepLines(step: StepView): string[] {
  const notes = [
    step.dropped > 0 ? `${step.dropped} dropped` : '',
    step.held > 0 ? `${step.held} held (partial line)` : '',
    step.failed === undefined ? '' : `refused: ${step.failed.code}: ${step.failed.message}`,
  ].filter((note) => note !== '');
  const head = `  ${step.transform.padEnd(10)} ${step.in} → ${step.out.length}${notes.length > 0 ? `  ${notes.join(', ')}` : ''}`;
  return [head, ...step.out.map((event) => `             ${shorten(json(event.body), 300)}`)];
}

function outputLines(output: OutputView): string[] {
  return [
    `  event      ${output.event.time}  ${output.event.records.join(' + ')}`,
    ...output.sinks.map(sinkLine),
  ];
}

function sinkLine(output: SinkOutput): string {
  const name = `  → ${output.sink.padEnd(10)}`;
  if ('rejected' in output) return `${name} refused: ${output.rejected.code}: ${output.rejected.message}`;
  if ('topic' in output) {
    const properties = Object.entries(output.properties)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    return `${name} topic ${output.topic}  [${properties}]  ${shorten(output.payload, 200)}`;
  }
  const query = output.query === undefined ? '' : `?${output.query}`;
  const body = output.envelope === undefined ? (output.text ?? '') : json(output.envelope);
  return `${name} POST ${output.endpoint}${query}  ${shorten(body, 400)}`;
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\n/g, '\\n');
  return flat.length > max ? `${flat.slice(0, max)}… (${flat.length} chars)` : flat;
}
