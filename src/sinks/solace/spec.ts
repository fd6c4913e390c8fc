/**
 * The `solace` sink type for the registry. solclientjs is loaded only when a connector with this sink connects.
 * @module
 */
import { parseOptions } from '../../config/index.ts';
import type { SinkSpec } from '../spec.ts';
import { publisherMetrics } from '../topic/index.ts';
import { loadSolclient } from './solclient.ts';
import { type SolaceSinkConfig, solaceSinkConfigFrom, solaceSinkSchema } from './config.ts';
import { SolaceSink } from './sink.ts';

/** Solace PubSub+ over SMF (solclientjs), guaranteed delivery to topics. */
export const solaceSpec: SinkSpec<SolaceSinkConfig> = {
  type: 'solace',
  schema: solaceSinkSchema,
  validate(properties, context) {
    const { values, issues } = parseOptions(solaceSinkSchema, properties, context.path);
    if (issues.length > 0) return { issues };
    const built = solaceSinkConfigFrom(values, context.path);
    return built.config === undefined ? { issues: built.issues } : { config: built.config, issues: [] };
  },
  create(config, context, deps) {
    if (!config.session.tls.validateCertificate) {
      deps.logger.warn('sol.ssl_validate_certificate=false: the broker certificate is not verified');
    }
    return new SolaceSink({
      config,
      loadFactory: () => loadSolclient(deps.logger),
      metrics: publisherMetrics(deps.registry, 'solace', { connector: context.connector, sink: 'solace' }),
      logger: deps.logger,
    });
  },
};
