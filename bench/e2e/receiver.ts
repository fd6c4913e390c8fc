/**
 * The end-to-end benchmark's HEC receiver, a helper process (see child.ts). It speaks as much of HEC as logbridge's
 * sink uses (reference/splunk-hec.md: `/event` with gzip, `/health`, indexer acknowledgement with a delay) and
 * does as little as it can per event: gunzip, split lines, and read `time` and the `kafka_*` indexed fields by
 * byte search instead of parsing JSON, so that it costs a fraction of what logbridge does (the bench prints its
 * CPU). It counts distinct Kafka coordinates, and reads logbridge's `/proc` figures at the first event and at the
 * last expected one, so that the window measured is exactly the one the events took.
 *
 * Tokens: `bench` (acknowledgement off) and `bench-ack` (on: an ack id turns true `ackDelayMs` after the request).
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzip } from 'node:zlib';
import { serveParent } from './child.ts';
import { type ProcSample, sampleProcess } from './proc.ts';
import { Tally } from './tally.ts';

/** What the bench asks the receiver to expect. */
export interface Expectation {
  readonly topic: string;
  readonly expected: number;
  /** logbridge's pid, read at the first and last expected event. */
  readonly pid: number;
  readonly ackDelayMs: number;
}

/** What the receiver reports. */
export interface ReceiverStats {
  readonly distinct: number;
  readonly duplicates: number;
  readonly foreign: number;
  readonly requests: number;
  /** Seconds from the first event to the last expected one; undefined until complete. */
  readonly seconds: number | undefined;
  readonly first: ProcSample | undefined;
  readonly done: ProcSample | undefined;
  /** The receiver's own CPU-seconds over that window. */
  readonly receiverCpuSeconds: number | undefined;
  readonly latency: ReturnType<Tally['latency']>;
}

const OK = Buffer.from('{"text":"Success","code":0}');
const HEALTHY = Buffer.from('{"text":"HEC is healthy","code":17}');
const TIME = Buffer.from('{"time":');
const PARTITION = Buffer.from('"kafka_partition":"');
const OFFSET = Buffer.from('"kafka_offset":"');

let tally = new Tally('', 0);
let expectation: Expectation = { topic: '', expected: 0, pid: -1, ackDelayMs: 0 };
let topicNeedle = Buffer.from('"kafka_topic":""');
let requests = 0;
let first: ProcSample | undefined;
let done: ProcSample | undefined;
let cpuAtFirst: NodeJS.CpuUsage | undefined;
let receiverCpu: number | undefined;
/** Per channel: the next ack id and when each pending one turns true. */
const channels = new Map<string, { next: number; readyAt: Map<number, number> }>();

/** Reads a decimal integer of ASCII digits at `from`; -1 if there is none. */
function digitsAt(buf: Buffer, from: number): number {
  let value = -1;
  for (let i = from; i < buf.length; i += 1) {
    const c = buf[i] ?? 0;
    if (c < 0x30 || c > 0x39) break;
    value = (value < 0 ? 0 : value * 10) + (c - 0x30);
  }
  return value;
}

function countEvents(body: Buffer): void {
  const nowWall = Date.now();
  const now = performance.now();
  let start = 0;
  while (start < body.length) {
    let end = body.indexOf(0x0a, start);
    if (end < 0) end = body.length;
    if (end - start > 2) countEvent(body, start, end, now, nowWall);
    start = end + 1;
  }
}

function countEvent(body: Buffer, start: number, end: number, now: number, nowWall: number): void {
  const offsetAt = body.lastIndexOf(OFFSET, end);
  const partitionAt = offsetAt < start ? -1 : body.lastIndexOf(PARTITION, offsetAt);
  const topicAt = partitionAt < start ? -1 : body.lastIndexOf(topicNeedle, partitionAt);
  if (topicAt < start) {
    tally.foreign += 1;
    return;
  }
  let latencyMs: number | undefined;
  if (body.compare(TIME, 0, TIME.length, start, start + TIME.length) === 0) {
    const from = start + TIME.length;
    const comma = body.indexOf(0x2c, from);
    const seconds = Number(body.toString('latin1', from, comma));
    if (Number.isFinite(seconds)) latencyMs = nowWall - seconds * 1000;
  }
  const partition = digitsAt(body, partitionAt + PARTITION.length);
  const offset = digitsAt(body, offsetAt + OFFSET.length);
  if (tally.add(partition, offset, now, latencyMs)) {
    done = sampleProcess(expectation.pid);
    if (cpuAtFirst !== undefined) {
      const cpu = process.cpuUsage(cpuAtFirst);
      receiverCpu = (cpu.user + cpu.system) / 1e6;
    }
  }
}

function reply(res: ServerResponse, status: number, body: Buffer | string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: IncomingMessage, then: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = chunks.length === 1 ? (chunks[0] ?? Buffer.alloc(0)) : Buffer.concat(chunks);
    if (req.headers['content-encoding'] !== 'gzip') {
      then(body);
      return;
    }
    gunzip(body, (error, plain) => {
      then(error === null ? plain : Buffer.alloc(0));
    });
  });
}

function onEvents(req: IncomingMessage, res: ServerResponse): void {
  const ack = req.headers.authorization === 'Splunk bench-ack';
  const channelId = req.headers['x-splunk-request-channel'];
  readBody(req, (body) => {
    requests += 1;
    if (tally.firstAtMs === undefined) {
      first = sampleProcess(expectation.pid);
      cpuAtFirst = process.cpuUsage();
    }
    countEvents(body);
    if (!ack || typeof channelId !== 'string') {
      reply(res, 200, OK);
      return;
    }
    let channel = channels.get(channelId);
    if (channel === undefined) channels.set(channelId, (channel = { next: 0, readyAt: new Map() }));
    const ackId = channel.next++;
    channel.readyAt.set(ackId, Date.now() + expectation.ackDelayMs);
    reply(res, 200, `{"text":"Success","code":0,"ackId":${ackId}}`);
  });
}

function onAck(req: IncomingMessage, res: ServerResponse): void {
  const channelId = req.headers['x-splunk-request-channel'];
  readBody(req, (body) => {
    const { acks } = JSON.parse(body.toString('utf8')) as { acks: number[] };
    const channel = typeof channelId === 'string' ? channels.get(channelId) : undefined;
    const now = Date.now();
    const answer: Record<string, boolean> = {};
    for (const id of acks) {
      const readyAt = channel?.readyAt.get(id);
      answer[String(id)] = readyAt !== undefined && readyAt <= now;
      if (answer[String(id)] === true) channel?.readyAt.delete(id);
    }
    reply(res, 200, JSON.stringify({ acks: answer }));
  });
}

const server = createServer({ keepAliveTimeout: 120_000 }, (req, res) => {
  const path = req.url?.split('?', 1)[0] ?? '';
  if (path === '/services/collector/event' || path === '/services/collector') onEvents(req, res);
  else if (path === '/services/collector/ack') onAck(req, res);
  else if (path === '/services/collector/health') reply(res, 200, HEALTHY);
  else reply(res, 404, '{"text":"The requested URL was not found on this server.","code":404}');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

serveParent({
  ready: () => ({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
  expect: (next: Expectation) => {
    expectation = next;
    tally = new Tally(next.topic, next.expected);
    topicNeedle = Buffer.from(`"kafka_topic":${JSON.stringify(next.topic)}`);
    requests = 0;
    first = done = cpuAtFirst = receiverCpu = undefined;
    channels.clear();
  },
  resetLatency: () => {
    tally.resetLatency();
  },
  stats: (): ReceiverStats => ({
    distinct: tally.distinct,
    duplicates: tally.duplicates,
    foreign: tally.foreign,
    requests,
    seconds:
      tally.doneAtMs === undefined || tally.firstAtMs === undefined
        ? undefined
        : (tally.doneAtMs - tally.firstAtMs) / 1000,
    first,
    done,
    receiverCpuSeconds: receiverCpu,
    latency: tally.latency(),
  }),
});
