/**
 * The sink registry: every sink type logbridge knows. A new sink is a new folder and one line here.
 * @module
 */
import { mqttSpec } from './mqtt/index.ts';
import { solaceSpec } from './solace/index.ts';
import { splunkHecSpec } from './splunk-hec/index.ts';
import { registerSink } from './spec.ts';

export type { SinkSpec, SinkContext, SinkDeps } from './spec.ts';

/** Every sink type, by its `type` name. */
export const sinkSpecs = [
  registerSink(splunkHecSpec),
  registerSink(solaceSpec),
  registerSink(mqttSpec),
] as const;
