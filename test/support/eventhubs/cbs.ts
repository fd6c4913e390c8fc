/**
 * Claims-based security on one connection (README.md § CBS): `put-token` requests on the `$cbs` node carry a SAS
 * token for an audience; the peer checks its signature and expiry and answers 202, or 401 with the reason. Links
 * are then allowed only where a live token of a policy with the right covers their address.
 */
import type { Message } from 'rhea';
import {
  covers,
  type SasPolicy,
  type SasRight,
  SasError,
  verifySasToken,
  type VerifiedToken,
} from './sas.ts';

/** The tokens one connection has put, by audience. */
export class ConnectionClaims {
  readonly #tokens = new Map<string, VerifiedToken>();

  /** Handles one `put-token` request; returns the reply (status in application properties, as Event Hubs does). */
  putToken(request: Message, policies: readonly SasPolicy[], nowMs: number): Message {
    const properties = request.application_properties ?? {};
    const reply = (status: number, description: string): Message =>
      ({
        correlation_id: request.message_id,
        to: request.reply_to,
        application_properties: { 'status-code': status, 'status-description': description },
      }) as unknown as Message;
    if (properties['operation'] !== 'put-token')
      return reply(400, `unknown operation ${String(properties['operation'])}`);
    const type: unknown = properties['type'];
    if (type !== 'servicebus.windows.net:sastoken') {
      // Entra ID tokens (`jwt`) cannot be checked here: README.md § What the peer does not model.
      return reply(401, `InvalidToken: token type ${String(type)} is not accepted by the peer`);
    }
    const audience = String(properties['name'] ?? '');
    try {
      const token = verifySasToken(String(request.body), policies, nowMs);
      if (!covers(token.resource, audience)) {
        return reply(401, `InvalidAudience: the token is for ${token.resource}, not ${audience}`);
      }
      this.#tokens.set(audience.toLowerCase(), token);
      return reply(202, 'Accepted');
    } catch (error) {
      return reply(401, error instanceof SasError ? error.message : String(error));
    }
  }

  /**
   * Whether a live token with `right` covers `resource` (`<host>/<entity path>`).
   * @returns undefined when allowed, else why not.
   */
  refusal(resource: string, right: SasRight, nowMs: number): string | undefined {
    let expired = false;
    for (const token of this.#tokens.values()) {
      if (!covers(token.resource, resource)) continue;
      if (token.expiresAtMs <= nowMs) {
        expired = true;
        continue;
      }
      if (token.policy.rights.includes(right) || token.policy.rights.includes('Manage')) return undefined;
      return `Unauthorized access. '${right}' claim(s) are required to perform this operation. Resource: 'sb://${resource}'.`;
    }
    return expired
      ? `ExpiredToken: the token for sb://${resource} expired; put a new one on $cbs`
      : `Unauthorized access: no token was put on $cbs for sb://${resource}`;
  }
}
