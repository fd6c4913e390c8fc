/**
 * What the lab's apps talk about: one message catalogue per app, by level, with the identifiers real services log
 * and, now and then, personal data that should not be there (e-mails, IPs, card numbers, bearer tokens).
 * @module
 */
import { bearerToken, cardNumber, email, ipv4, ipv6 } from '../pii.ts';
import type { SeededRandom } from '../random.ts';
import type { Level } from './writer.ts';

/** A field value as apps log it. */
export type FieldValue = string | number | boolean | Readonly<Record<string, string>>;

/** A log statement before a writer gives it its style. */
export interface AppMessage {
  readonly level: Level;
  readonly text: string;
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** An exception the statement carries (writers print its stack trace in their style). */
  readonly failure?: { readonly type: string; readonly message: string };
}

type Catalogue = (random: SeededRandom, level: Level) => AppMessage;

const currencies = ['EUR', 'GBP', 'USD', 'SEK', 'PLN'];
const declineReasons = ['insufficient_funds', 'card_expired', 'do_not_honor', 'suspected_fraud'];

function id(random: SeededRandom, prefix: string): string {
  return `${prefix}_${random.chars('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 16)}`;
}

function clientIp(random: SeededRandom): string {
  return random.chance(0.25) ? ipv6(random) : ipv4(random);
}

const payments: Catalogue = (random, level) => {
  const payment = id(random, 'pay');
  const amount = {
    paymentId: payment,
    amountMinor: random.int(199, 250_000),
    currency: random.pick(currencies),
  };
  switch (level) {
    case 'debug':
      return {
        level,
        text: 'Calling acquirer',
        fields: { acquirer: 'adyen', timeoutMs: 5000, paymentId: payment },
      };
    case 'info':
      return random.chance(0.1)
        ? { level, text: `Receipt sent to ${email(random)}`, fields: { paymentId: payment } }
        : {
            level,
            text: random.pick(['Payment authorised', 'Payment captured', 'Refund issued']),
            fields: amount,
          };
    case 'warn':
      return {
        level,
        text: 'Acquirer slow to answer',
        fields: { paymentId: payment, latencyMs: random.int(2000, 9000) },
      };
    case 'error':
      return random.chance(0.3)
        ? {
            level,
            text: `Card verification failed for card ${cardNumber(random)}`,
            fields: { paymentId: payment },
            failure: {
              type: 'com.acme.payments.CardRejectedException',
              message: random.pick(declineReasons),
            },
          }
        : {
            level,
            text: 'Payment declined by acquirer',
            fields: { ...amount, reason: random.pick(declineReasons) },
          };
  }
};

const vault: Catalogue = (random, level) => {
  const last4 = String(random.int(0, 9999)).padStart(4, '0');
  switch (level) {
    case 'debug':
      return {
        level,
        text: `Detokenize request from payment-api for token tok_${random.hex(24)}`,
        fields: {},
      };
    case 'info':
      return { level, text: `Tokenized card ending ${last4}`, fields: {} };
    case 'warn':
      return { level, text: `HSM response took ${String(random.int(800, 4000))} ms`, fields: {} };
    case 'error':
      return {
        level,
        text: `Tokenization failed for PAN ${cardNumber(random)}`,
        fields: {},
        failure: {
          type: 'java.util.concurrent.TimeoutException',
          message: 'HSM did not answer within 5000 ms',
        },
      };
  }
};

const cart: Catalogue = (random, level) => {
  const cartId = random.uuid();
  switch (level) {
    case 'debug':
      return {
        level,
        text: 'price lookup',
        fields: { sku: `SKU-${String(random.int(10000, 99999))}`, ms: random.int(1, 40) },
      };
    case 'info':
      return random.chance(0.1)
        ? { level, text: 'guest checkout started', fields: { cartId, email: email(random) } }
        : { level, text: 'cart updated', fields: { cartId, items: random.int(1, 12) } };
    case 'warn':
      return {
        level,
        text: 'inventory cache stale, refreshing',
        fields: { ageMs: random.int(30_000, 600_000) },
      };
    case 'error':
      return {
        level,
        text: 'failed to reserve stock',
        fields: { cartId },
        failure: { type: 'Error', message: 'connect ECONNREFUSED 10.0.12.7:5432' },
      };
  }
};

const web: Catalogue = (random, level) => {
  switch (level) {
    case 'debug':
    case 'info':
      return {
        level,
        text: 'request completed',
        fields: { route: random.pick(['/checkout', '/cart', '/']), ms: random.int(3, 180) },
      };
    case 'warn':
      return {
        level,
        text: 'session near expiry',
        fields: { sessionId: random.hex(32), ip: clientIp(random) },
      };
    case 'error':
      return {
        level,
        text: 'render failed',
        fields: {},
        failure: { type: 'TypeError', message: "Cannot read properties of undefined (reading 'total')" },
      };
  }
};

const auth: Catalogue = (random, level) => {
  switch (level) {
    case 'debug':
      return {
        level,
        text: 'upstream request',
        fields: {
          url: 'https://graph.example.com/v1.0/me',
          headers: { Authorization: `Bearer ${bearerToken(random)}` },
        },
      };
    case 'info':
      return random.chance(0.5)
        ? {
            level,
            text: 'login succeeded',
            fields: { user: email(random), remote: clientIp(random), mfa: random.chance(0.7) },
          }
        : {
            level,
            text: 'token issued',
            fields: { sub: random.uuid(), scope: 'orders.read payments.write', ttlSeconds: 3600 },
          };
    case 'warn':
      return {
        level,
        text: 'login failed',
        fields: { user: email(random), remote: clientIp(random), reason: 'bad_password' },
      };
    case 'error':
      return {
        level,
        text: 'jwks refresh failed',
        fields: { error: 'context deadline exceeded' },
        failure: { type: 'error', message: 'context deadline exceeded' },
      };
  }
};

const orders: Catalogue = (random, level) => {
  const order = random.int(100_000, 999_999);
  switch (level) {
    case 'debug':
      return {
        level,
        text: `fetched order ${String(order)} from queue orders-in (lag ${String(random.int(0, 40))})`,
        fields: {},
      };
    case 'info':
      return random.chance(0.15)
        ? { level, text: `enqueued shipment for order ${String(order)} to ${email(random)}`, fields: {} }
        : { level, text: `processed order ${String(order)} in ${String(random.int(5, 400))} ms`, fields: {} };
    case 'warn':
      return {
        level,
        text: `retrying order ${String(order)} (attempt ${String(random.int(2, 5))}/5)`,
        fields: {},
      };
    case 'error':
      return {
        level,
        text: `order ${String(order)} failed`,
        fields: {},
        failure: { type: 'KeyError', message: "'shipping_address'" },
      };
  }
};

const catalogues: Readonly<Record<string, Catalogue>> = {
  'payment-api': payments,
  'card-vault': vault,
  'cart-service': cart,
  'checkout-web': web,
  'auth-service': auth,
  'order-worker': orders,
};

/** A message from `app`'s catalogue (or a generic one) at `level`. */
export function appMessage(random: SeededRandom, app: string, level: Level): AppMessage {
  const catalogue = catalogues[app] ?? web;
  return catalogue(random, level);
}
