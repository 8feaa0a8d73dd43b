import { Webhook } from "standardwebhooks";
import type { components } from "./schema.js";

/** Any event Orbyt sends to a webhook endpoint (the document's `webhooks` section); narrow it on `type`. */
export type OrbytWebhookEvent = components["schemas"]["WebhookEvent"];

/** The event of one type, e.g. `WebhookEventOf<"job.published">`. */
export type WebhookEventOf<T extends OrbytWebhookEvent["type"]> = Extract<OrbytWebhookEvent, { type: T }>;

/**
 * Verifies a delivery's `webhook-id`, `webhook-timestamp` and `webhook-signature` headers against the raw body
 * (Standard Webhooks) and returns the parsed event. Throws when the signature or the timestamp is not valid.
 * @param secret the endpoint's `whsec_…` secret as returned by POST /v1/webhooks or rotate-secret
 * @param rawBody the request body exactly as received (do not re-serialize parsed JSON)
 */
export function verifyWebhook(
  secret: string,
  rawBody: string | Buffer,
  headers: Record<string, string | string[] | undefined>,
): OrbytWebhookEvent {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  const payload = typeof rawBody === "string" ? rawBody : rawBody.toString("utf8");
  return new Webhook(secret).verify(payload, flat) as OrbytWebhookEvent;
}
