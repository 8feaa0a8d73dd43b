import { Webhook } from "standardwebhooks";
import type { components } from "./schema.d.ts";

/** Any event Orbyt sends to a webhook endpoint (the document's `webhooks` section); narrow it on `type`. */
export type OrbytWebhookEvent = components["schemas"]["WebhookEvent"];

/** The event of one type, e.g. `WebhookEventOf<"job.published">`. */
export type WebhookEventOf<T extends OrbytWebhookEvent["type"]> = Extract<OrbytWebhookEvent, { type: T }>;

/** Request headers as Node (`req.headers`) and as fetch, Deno and Edge Functions (`Headers`) hand them over. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/**
 * Verifies a delivery's `webhook-id`, `webhook-timestamp` and `webhook-signature` headers against the raw body
 * (Standard Webhooks) and returns the parsed event. Throws when the signature or the timestamp is not valid.
 * Runs in Node and Deno alike: no Node-only API (a Node `Buffer` is a `Uint8Array`).
 * @param secret the endpoint's `whsec_…` secret as returned by POST /v1/webhooks or rotate-secret
 * @param rawBody the request body exactly as received (do not re-serialize parsed JSON)
 */
export function verifyWebhook(secret: string, rawBody: string | Uint8Array, headers: WebhookHeaders): OrbytWebhookEvent {
  const flat: Record<string, string> = {};
  const entries: Iterable<[string, string | string[] | undefined]> = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [name, value] of entries) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  const payload = typeof rawBody === "string" ? rawBody : new TextDecoder().decode(rawBody);
  return new Webhook(secret).verify(payload, flat) as OrbytWebhookEvent;
}
