/**
 * REST errors in Kafka Connect's shape: `{"error_code": <http status>, "message": "…"}`.
 * @module
 */

/** An error the API answers with its status. */
export class ApiError extends Error {
  readonly statusCode: number;

  constructor(statusCode: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
  }
}

/** Kafka Connect's error body. */
export interface ErrorBody {
  readonly error_code: number;
  readonly message: string;
}
