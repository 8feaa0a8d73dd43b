import { Webhook } from "standardwebhooks";

/** The envelope of every Orbyt webhook (docs/webhooks.md): `type`, `timestamp` and a type-specific `data`. */
export interface OrbytWebhookEvent<TData = Record<string, unknown>> {
  type: string;
  timestamp: string;
  data: TData;
}

/**
 * Verifies a delivery's `webhook-id`, `webhook-timestamp` and `webhook-signature` headers against the raw body
 * (Standard Webhooks) and returns the parsed event. Throws when the signature or the timestamp is not valid.
 * @param secret the endpoint's `whsec_…` secret as returned by POST /v1/webhooks or rotate-secret
 * @param rawBody the request body exactly as received (do not re-serialize parsed JSON)
 */
export function verifyWebhook<TData = Record<string, unknown>>(
  secret: string,
  rawBody: string | Buffer,
  headers: Record<string, string | string[] | undefined>,
): OrbytWebhookEvent<TData> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  const payload = typeof rawBody === "string" ? rawBody : rawBody.toString("utf8");
  return new Webhook(secret).verify(payload, flat) as OrbytWebhookEvent<TData>;
}
