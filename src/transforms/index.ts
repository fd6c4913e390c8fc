/**
 * Transforms: pure functions over events (`cri`, `kubernetes`, `json`, `filter`, `mask`, `split-records`,
 * `route`), each with a typed, validated config, and the connector keys that chain them (`transforms=…`). The
 * registry is an explicit list; importing this module has no side effects.
 * @module
 */
import { criType } from './cri.ts';
import { filterType } from './filter.ts';
import { jsonType } from './json.ts';
import { kubernetesType } from './kubernetes.ts';
import { maskType } from './mask.ts';
import { routeType } from './route.ts';
import { registerTransform } from './spec.ts';
import { splitRecordsType } from './split-records.ts';

export type { TransformType, TransformContext, TransformDeps } from './spec.ts';
export { type TransformCounters, NO_COUNTERS, MemoryCounters } from './counters.ts';
export { transformCountersFor } from './metrics.ts';
export { MaskOversizeError } from './errors.ts';
export {
  compileUserRegex,
  compileFindPattern,
  compileReplacePattern,
  enableLinearEngine,
  type FindPattern,
} from './safe-regex.ts';
export {
  validateTransforms,
  createTransforms,
  isTransformKey,
  type ChainContext,
  type ValidTransform,
} from './chain-config.ts';

/** Every transform type, by its `type` name, in the order the docs list them. */
export const transformTypes = [
  registerTransform(criType),
  registerTransform(kubernetesType),
  registerTransform(jsonType),
  registerTransform(filterType),
  registerTransform(maskType),
  registerTransform(splitRecordsType),
  registerTransform(routeType),
] as const;
