/**
 * Entra ID (OAUTHBEARER) for the Event Hubs Kafka endpoint: a token for `https://<namespace FQDN>/.default` from
 * @azure/identity's DefaultAzureCredential (environment, workload identity, managed identity, Azure CLI), loaded
 * only when a connector uses it (reference/eventhubs-kafka.md §1).
 * @module
 */
import type { OauthbearerProviderResponse } from 'kafkajs';
import { BridgeError } from '../../engine/index.ts';

/** No token could be obtained: the identity or its role assignment is wrong. */
export class OAuthTokenError extends BridgeError {
  readonly code = 'LB_EH_OAUTH';
  readonly disposition = 'retry';
}

/** The part of an Azure TokenCredential we use (injectable for tests). */
export interface TokenSource {
  getToken(scope: string): Promise<{ readonly token: string; readonly expiresOnTimestamp: number } | null>;
}

/** Settings of the Entra ID provider. */
export interface OAuthSettings {
  /** Namespace FQDN, e.g. `acme-logs.servicebus.windows.net`. */
  readonly namespace: string;
  /** Client id of a user-assigned managed identity; absent: DefaultAzureCredential's choice. */
  readonly clientId: string | undefined;
}

/** @returns the OAuth scope of a namespace. */
export function scopeOf(namespace: string): string {
  return `https://${namespace}/.default`;
}

/** Builds kafkajs' `oauthBearerProvider`. */
export function oauthBearerProvider(
  settings: OAuthSettings,
  credential?: TokenSource,
): () => Promise<OauthbearerProviderResponse> {
  let source: Promise<TokenSource> | undefined =
    credential === undefined ? undefined : Promise.resolve(credential);
  const scope = scopeOf(settings.namespace);
  return async () => {
    source ??= defaultCredential(settings.clientId);
    let token;
    try {
      token = await (await source).getToken(scope);
    } catch (error) {
      throw new OAuthTokenError(`Entra ID refused a token for ${scope}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (token === null) {
      throw new OAuthTokenError(
        `no Entra ID token for ${scope}; give the identity the "Azure Event Hubs Data Receiver" role`,
      );
    }
    return { value: token.token };
  };
}

async function defaultCredential(clientId: string | undefined): Promise<TokenSource> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential(clientId === undefined ? {} : { managedIdentityClientId: clientId });
}
