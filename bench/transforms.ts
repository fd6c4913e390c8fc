/**
 * Transform throughput: the lab's chain (cri → kubernetes → json → mask → route) on ~1 KiB CRI lines, in this
 * process (one core), with and without decoding and a HEC-like envelope. Prints events/s per core, µs per event for
 * the chain and for each transform alone. Not a test: figures only.
 *
 *   node bench/transforms.ts [events=400000] [lineBytes=1024] [piiPercent=10]
 */
import {
  createDecoder,
  HOLD,
  DROP,
  type LogEvent,
  type NamedTransform,
  type SourceRecord,
} from '../src/engine/index.ts';
import {
  createTransforms,
  MemoryCounters,
  transformTypes,
  validateTransforms,
} from '../src/transforms/index.ts';
import { report } from './report.ts';

const total = Number(process.argv[2] ?? 400_000);
const lineBytes = Number(process.argv[3] ?? 1024);
const piiPercent = Number(process.argv[4] ?? 10);

const chainProperties = {
  transforms: 'cri,k8s,json,mask,route',
  'transforms.cri.type': 'cri',
  'transforms.k8s.type': 'kubernetes',
  'transforms.k8s.cluster': 'aks-prod-weu',
  'transforms.json.type': 'json',
  'transforms.mask.type': 'mask',
  'transforms.route.type': 'route',
  'transforms.route.rules': 'ingress,shop',
  'transforms.route.rule.ingress.when.kubernetes.namespace_name': '^ingress-nginx$',
  'transforms.route.rule.ingress.index': 'web',
  'transforms.route.rule.shop.when.kubernetes.namespace_name': '^shop',
  'transforms.route.rule.shop.index': 'app_${kubernetes.namespace_name}',
  'transforms.route.index': 'k8s',
  'transforms.route.sourcetype': 'kube:container:${kubernetes.container_name:-unknown}',
  'transforms.route.topic':
    'acme/${kubernetes.cluster_name}/${kubernetes.container_name}/${kubernetes.docker_id}',
};

/** Builds the chain from connector properties. */
function chainOf(properties: Readonly<Record<string, unknown>>): NamedTransform[] {
  const context = {
    connector: 'bench',
    path: 'config',
    topics: ['bench'],
    eventHubsNamespace: undefined,
    consumerGroup: 'bench',
  };
  const { transforms, issues } = validateTransforms(properties, context, transformTypes);
  if (issues.length > 0) throw new Error(JSON.stringify(issues));
  return createTransforms(transforms, () => new MemoryCounters());
}

const pods = [
  'checkout-7d9f8b6c5d-x2lqp_shop_checkout',
  'ingress-nginx-5c8d66c76d-lw7hx_ingress-nginx_controller',
  'ledger-0_finance_ledger',
];
const ids = pods.map((_, i) =>
  String(i + 1)
    .repeat(64)
    .slice(0, 64),
);

/** Distinct records, cycled: a JSON application log of ~lineBytes in a CRI line, keyed by the Fluent Bit tag. */
function makeRecords(count: number): SourceRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const pii = i % 100 < piiPercent;
    const log = {
      level: i % 7 === 0 ? 'error' : 'info',
      ts: '2024-11-24T08:15:02.114Z',
      logger: 'checkout.http',
      msg: pii ? `order placed by jane.doe${i}@example.com from 203.0.113.${i % 250}` : `order ${i} placed`,
      order_id: `ORD-2024-${100000 + i}`,
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      duration_ms: i % 97,
      filler: '',
    };
    const head = `2024-11-24T08:15:02.${String(i % 1e9).padStart(9, '0')}Z stdout F `;
    log.filler = 'x'.repeat(Math.max(0, lineBytes - head.length - JSON.stringify(log).length));
    const value = Buffer.from(head + JSON.stringify(log));
    const pod = i % pods.length;
    const key = Buffer.from(`kube.var.log.containers.${pods[pod] ?? ''}-${ids[pod] ?? ''}.log`);
    return {
      position: { topic: 'bench', partition: 0, offset: BigInt(i) },
      key,
      value,
      headers: {},
      timestampMs: 1_732_436_100_000,
      sizeBytes: key.length + value.length,
    };
  });
}

const records = makeRecords(10_000);
const decode = createDecoder({ format: 'auto', maxRecordBytes: 1_048_576 });
const decoded = records.map((record) => decode(record) as LogEvent);

/** Runs `event` through `chain`; returns the events out. */
function runChain(chain: readonly NamedTransform[], states: unknown[], event: LogEvent): LogEvent[] {
  let events = [event];
  for (const [index, transform] of chain.entries()) {
    const next: LogEvent[] = [];
    for (const current of events) {
      const result =
        transform.stateful === undefined
          ? transform.apply(current)
          : transform.stateful.apply(states[index], current);
      if (result === HOLD || result === DROP) continue;
      if (Array.isArray(result)) next.push(...(result as readonly LogEvent[]));
      else next.push(result as LogEvent);
    }
    events = next;
  }
  return events;
}

/** The HEC sink's envelope, as its encoder builds it. */
function envelope(event: LogEvent): string {
  const { position } = event.record;
  return JSON.stringify({
    time: Math.round(event.timeMs) / 1000,
    index: event.meta.index,
    sourcetype: event.meta.sourcetype,
    event: event.body,
    fields: {
      kafka_topic: position.topic,
      kafka_partition: String(position.partition),
      kafka_offset: position.offset.toString(),
    },
  });
}

interface Run {
  readonly name: string;
  readonly chain: readonly NamedTransform[];
  readonly withDecode: boolean;
  readonly withEnvelope: boolean;
}

function measure(run: Run, count: number, print: boolean): number {
  const states = run.chain.map((t) => t.stateful?.init());
  let bytes = 0;
  let out = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < count; i += 1) {
    const slot = i % records.length;
    const event = run.withDecode
      ? (decode(records[slot] as SourceRecord) as LogEvent)
      : (decoded[slot] as LogEvent);
    bytes += (records[slot] as SourceRecord).sizeBytes;
    for (const e of runChain(run.chain, states, event)) out += run.withEnvelope ? envelope(e).length : 1;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (print) {
    report(run.name, { records: count, seconds, bytes, cpuSeconds });
    console.log(`  µs/event       ${((cpuSeconds / count) * 1e6).toFixed(2)}   (checksum ${out})`);
  }
  return (cpuSeconds / count) * 1e6;
}

const full = chainOf(chainProperties);
const single = chainOf({ ...chainProperties, 'transforms.json.keep.original': 'false' });
const runs: Run[] = [
  { name: 'chain cri→kubernetes→json→mask→route', chain: full, withDecode: false, withEnvelope: false },
  { name: 'decode + chain + HEC envelope', chain: full, withDecode: true, withEnvelope: true },
  { name: 'chain, json keep.original=false', chain: single, withDecode: false, withEnvelope: false },
  {
    name: 'decode + chain (keep.original=false) + HEC envelope',
    chain: single,
    withDecode: true,
    withEnvelope: true,
  },
];
console.log(
  `${total} events of ~${lineBytes} B, ${piiPercent}% with an e-mail and an IPv4 address; node ${process.version}\n`,
);
for (const run of runs) {
  measure(run, Math.min(total, 50_000), false);
  measure(run, total, true);
}
// Each transform alone, on the events as the previous transforms leave them.
console.log('\nper transform (µs/event, on its own input):');
const inputs: LogEvent[][] = [decoded];
for (const [index, transform] of full.entries()) {
  const state = transform.stateful?.init();
  const input = inputs[index] ?? [];
  inputs.push(input.flatMap((e) => runChain([transform], [state], e)));
  const alone: Run = { name: transform.name, chain: [transform], withDecode: false, withEnvelope: false };
  const saved = decoded.splice(0, decoded.length, ...input);
  measure(alone, Math.min(total, 50_000), false);
  console.log(`  ${transform.name.padEnd(6)} ${measure(alone, total, false).toFixed(2)}`);
  decoded.splice(0, decoded.length, ...saved);
}
