/**
 * The `splunk-hec` sink type for the registry.
 * @module
 */
import { parseOptions } from '../../config/index.ts';
import type { SinkSpec } from '../spec.ts';
import { type HecSinkConfig, hecSinkConfigFrom, hecSinkSchema } from './config.ts';
import { HecSink } from './sink.ts';

/** Splunk HTTP Event Collector. */
export const splunkHecSpec: SinkSpec<HecSinkConfig> = {
  type: 'splunk-hec',
  schema: hecSinkSchema,
  validate(properties, context) {
    const { values, issues } = parseOptions(hecSinkSchema, properties, context.path);
    for (const uri of values['splunk.hec.uri']) {
      if (!/^https?:\/\/[^/]+/.test(uri)) {
        issues.push({
          path: `${context.path}.splunk.hec.uri`,
          message: `"${uri}" must be an http(s) base URL`,
        });
      }
    }
    if (issues.length > 0) return { issues };
    const built = hecSinkConfigFrom(values, context.topics, context.path);
    return built.issues.length > 0 ? { issues: built.issues } : { config: built.config, issues: [] };
  },
  create(config, _context, deps) {
    if (!config.tlsVerify) {
      deps.logger.warn('splunk.hec.ssl.validate.certs=false: HEC server certificates are not verified');
    }
    return new HecSink(config);
  },
};
