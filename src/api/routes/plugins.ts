/**
 * `/connector-plugins`: the one connector class logbridge has, and Kafka Connect's `config/validate` answer
 * (ConfigInfos) built from the option schemas.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import type { OptionSpec } from '../../config/index.ts';
import { ApiError } from '../errors.ts';
import type { ConnectorService } from '../port.ts';

/** The connector class name; `connector.class` accepts it (and the key is optional). */
export const PLUGIN_CLASS = 'logbridge';

/** Registers the plugin routes. */
export function pluginRoutes(app: FastifyInstance, service: ConnectorService, version: string): void {
  app.get('/connector-plugins', () => [{ class: PLUGIN_CLASS, type: 'sink', version }]);
  app.get<{ Params: { type: string } }>('/connector-plugins/:type/config', (request) => {
    known(request.params.type);
    return service.options({}).map(({ group, key, spec }) => definition(group, key, spec));
  });
  app.put<{ Params: { type: string }; Body: unknown }>(
    '/connector-plugins/:type/config/validate',
    (request) => {
      known(request.params.type);
      const body = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new ApiError(400, 'Request body must be a JSON object of connector properties');
      }
      const config = body as Record<string, unknown>;
      const issues = service.validate(config);
      const errorsOf = (key: string): string[] =>
        issues.filter((i) => i.path === `config.${key}`).map((i) => i.message);
      const options = service.options(config);
      const knownKeys = new Set(options.map((o) => o.key));
      const configs = options.map(({ group, key, spec }) => ({
        definition: definition(group, key, spec),
        value: {
          name: key,
          value: shown(config[key], spec),
          recommended_values: recommended(spec),
          errors: errorsOf(key),
          visible: true,
        },
      }));
      const extra = issues
        .filter((i) => !knownKeys.has(i.path.replace(/^config\./, '')))
        .map((i) => ({
          value: {
            name: i.path.replace(/^config\./, ''),
            value: null,
            recommended_values: [],
            errors: [i.message],
            visible: true,
          },
        }));
      return {
        name: PLUGIN_CLASS,
        error_count: issues.length,
        groups: [...new Set(options.map((o) => o.group))],
        configs: [...configs, ...extra],
      };
    },
  );
}

function known(type: string): void {
  if (type !== PLUGIN_CLASS && !type.endsWith(`.${PLUGIN_CLASS}`)) {
    throw new ApiError(404, `Unknown connector plugin ${type}; logbridge has one: ${PLUGIN_CLASS}`);
  }
}

function definition(group: string, key: string, spec: OptionSpec): Record<string, unknown> {
  return {
    name: key,
    type:
      spec.sensitive === true
        ? 'PASSWORD'
        : { string: 'STRING', int: 'INT', bool: 'BOOLEAN', list: 'LIST', enum: 'STRING' }[spec.type],
    required: spec.required === true,
    default_value:
      spec.default === undefined
        ? null
        : Array.isArray(spec.default)
          ? spec.default.join(',')
          : String(spec.default),
    importance: spec.required === true ? 'HIGH' : 'MEDIUM',
    documentation: spec.doc,
    group,
    width: 'NONE',
    display_name: key,
    dependents: [],
    order: -1,
  };
}

function shown(value: unknown, spec: OptionSpec): string | null {
  if (value === undefined || value === null) return null;
  if (spec.sensitive === true) return '[hidden]';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function recommended(spec: OptionSpec): readonly string[] {
  return spec.type === 'enum' ? spec.values : spec.type === 'bool' ? ['true', 'false'] : [];
}
