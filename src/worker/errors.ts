/**
 * Errors of worker operations (REST and CLI). Each has a `kind` the REST layer maps to Kafka Connect's status codes.
 * @module
 */
import type { ConfigIssue } from '../config/index.ts';

/** What kind of failure, for the REST layer: 400, 404 or 409. */
export type OperationErrorKind = 'invalid' | 'not-found' | 'conflict';

/** A worker operation refused. */
export abstract class OperationError extends Error {
  abstract readonly kind: OperationErrorKind;
}

/** A connector definition is invalid; carries every issue. */
export class InvalidConnectorError extends OperationError {
  readonly kind = 'invalid';
  readonly issues: readonly ConfigIssue[];

  constructor(name: string, issues: readonly ConfigIssue[]) {
    super(
      `Connector configuration for ${name} is invalid:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
    );
    this.name = 'InvalidConnectorError';
    this.issues = issues;
  }
}

/** No connector has this name (Kafka Connect's text). */
export class ConnectorNotFoundError extends OperationError {
  readonly kind = 'not-found';

  constructor(name: string) {
    super(`Connector ${name} not found`);
    this.name = 'ConnectorNotFoundError';
  }
}

/** A connector with this name exists already (Kafka Connect's text). */
export class ConnectorExistsError extends OperationError {
  readonly kind = 'conflict';

  constructor(name: string) {
    super(`Connector ${name} already exists`);
    this.name = 'ConnectorExistsError';
  }
}

/** The request is valid but not now (e.g. offsets of a connector that is not STOPPED); 400 like Kafka Connect. */
export class BadRequestError extends OperationError {
  readonly kind = 'invalid';
}

/** The request conflicts with the cluster's state (e.g. the consumer group still has live members): 409. */
export class ConflictError extends OperationError {
  readonly kind = 'conflict';
}
