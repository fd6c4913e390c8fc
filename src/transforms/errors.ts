/**
 * Errors raised by transforms for one record (disposition `reject`: the record is dead-lettered at stage
 * TRANSFORMATION with the transform's alias). Every code is listed in docs/errors.md.
 * @module
 */
import { BridgeError } from '../engine/index.ts';

/**
 * A value is longer than a mask transform lets its custom patterns run on (`pattern.max.chars`) and the transform is
 * set to refuse such records (`pattern.oversize=reject`). The message names the field, never the value.
 */
export class MaskOversizeError extends BridgeError {
  readonly code = 'LB_MASK_OVERSIZE';
  readonly disposition = 'reject';
}
