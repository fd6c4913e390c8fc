/**
 * The `splunk-hec` sink type for the registry.
 * @module
 */
import { parseOptions } from '../../config/index.ts';
import type { SinkSpec } from '../spec.ts';
import { type HecSinkConfig, hecSinkConfigFrom } from './config.ts';
import { hecMetrics } from './metrics.ts';
import { hecSinkSchema } from './schema.ts';
import { HecSink } from './sink.ts';

/** Splunk HTTP Event Collector. */
export const splunkHecSpec: SinkSpec<HecSinkConfig> = {
  type: 'splunk-hec',
  schema: hecSinkSchema,
  validate(properties, context) {
    const { values, issues } = parseOptions(hecSinkSchema, properties, context.path);
    for (const uri of values['splunk.hec.uri']) {
      if (!/^https?:\/\/[^/]+\/?$/.test(uri)) {
        issues.push({
          path: `${context.path}.splunk.hec.uri`,
          message: `"${uri}" must be an http(s) base URL with no path, e.g. https://splunk-1:8088`,
        });
      }
    }
    if (issues.length > 0) return { issues };
    const built = hecSinkConfigFrom(values, context.topics, context.path);
    return built.issues.length > 0 ? { issues: built.issues } : { config: built.config, issues: [] };
  },
  create(config, context, deps) {
    if (!config.tls.verify && config.uris.some((uri) => uri.startsWith('https:'))) {
      deps.logger.warn(
        'splunk.hec.ssl.validate.certs=false: HEC server certificates are not verified, so anyone on the path can ' +
          'read the token and the events; trust the CA with splunk.hec.ssl.trust.store.path instead',
      );
    }
    return new HecSink(config, {
      logger: deps.logger,
      metrics: hecMetrics(deps.registry),
      connector: context.connector,
    });
  },
};
