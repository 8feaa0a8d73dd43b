// Receives Orbyt's webhooks (Standard Webhooks) and applies them to the mirror tables, each delivery once and never
// an older job state over a newer one. index.ts serves it; the tests serve the same file with plain Deno.
import { Webhook } from "npm:standardwebhooks@1.1.1";
import { applyJob, type Db, ensurePublication, type OrbytJob, refreshPublication } from "../_shared/mirror.ts";
import type { Sql } from "npm:postgres@3.4.9";

export interface WebhookHandlerOptions {
  /** The endpoint's whsec_… secret, and during a rotation of yours the other one: a delivery verified by either is taken. */
  secrets: string[];
  sql: Sql;
  /** Where a line per delivery goes (never a secret, a header or a body); console by default. */
  log?: (line: string) => void;
}

interface Envelope {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

type Outcome = "applied" | "duplicate";

/** Reads the two secrets of a rotation from the environment (ORBYT_WEBHOOK_SECRET, ORBYT_WEBHOOK_SECRET_PREVIOUS). */
export function secretsFromEnv(): string[] {
  const secrets = [Deno.env.get("ORBYT_WEBHOOK_SECRET"), Deno.env.get("ORBYT_WEBHOOK_SECRET_PREVIOUS")]
    .filter((s): s is string => !!s && s.trim() !== "")
    .map((s) => s.trim());
  if (secrets.length === 0) throw new Error("ORBYT_WEBHOOK_SECRET is not set");
  return secrets;
}

export function createWebhookHandler({ secrets, sql, log = console.log }: WebhookHandlerOptions) {
  const verifiers = secrets.map((secret) => new Webhook(secret));

  return async (request: Request): Promise<Response> => {
    if (request.method !== "POST") return new Response(null, { status: 405, headers: { allow: "POST" } });
    const webhookId = request.headers.get("webhook-id");
    const body = await request.text();
    const headers = {
      "webhook-id": webhookId ?? "",
      "webhook-timestamp": request.headers.get("webhook-timestamp") ?? "",
      "webhook-signature": request.headers.get("webhook-signature") ?? "",
    };

    // Signature over the raw body with each secret in force, and the timestamp within 5 minutes (the library's
    // tolerance): a bad one is refused with a 4xx and nothing is written. Never 410: that disables the endpoint.
    let event: Envelope | undefined;
    let refusal = "no signature matched";
    for (const verifier of verifiers) {
      try {
        event = verifier.verify(body, headers) as Envelope;
        break;
      } catch (error) {
        refusal = error instanceof Error ? error.message : String(error);
      }
    }
    if (!event || !webhookId) {
      log(`orbyt-webhooks: refused ${webhookId ?? "(no webhook-id)"}: ${refusal}`);
      return Response.json({ error: "invalid_signature", message: refusal }, { status: 401 });
    }

    try {
      const outcome = await sql.begin((tx) => apply(tx, webhookId, event));
      log(`orbyt-webhooks: ${outcome} ${webhookId} ${event.type}`);
      return new Response(null, { status: 204 });
    } catch (error) {
      // 5xx: Orbyt retries the delivery (same webhook-id) on its schedule; the transaction left nothing behind.
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      log(`orbyt-webhooks: failed ${webhookId} ${event.type}: ${reason}`);
      return Response.json({ error: "not_applied" }, { status: 500 });
    }
  };
}

/**
 * One transaction: the receipt (webhook-id, unique) and the state change commit together, so a redelivery finds the
 * receipt and changes nothing, and a failed write leaves no receipt behind for the retry to trip over.
 */
async function apply(tx: Db, webhookId: string, event: Envelope): Promise<Outcome> {
  const receipt = await tx`
    insert into orbyt_webhook_receipts (webhook_id, event_type) values (${webhookId}, ${event.type})
    on conflict (webhook_id) do nothing returning webhook_id`;
  if (receipt.length === 0) return "duplicate";

  switch (event.type) {
    case "job.published":
    case "job.failed": {
      const job = event.data.job as OrbytJob;
      await ensurePublication(tx, { id: job.publication_id, user_id: job.user_id });
      await applyJob(tx, job);
      await refreshPublication(tx, job.publication_id);
      break;
    }
    case "publication.completed": {
      const data = event.data as { publication_id: string; user_id: string; client_reference: string | null; jobs: OrbytJob[] };
      await ensurePublication(tx, { id: data.publication_id, user_id: data.user_id, client_reference: data.client_reference });
      for (const job of data.jobs) await applyJob(tx, job);
      await refreshPublication(tx, data.publication_id, event.timestamp);
      break;
    }
    default:
      // connection.*, webhook.test and types added later: acknowledged and recorded, nothing mirrored.
      break;
  }
  return "applied";
}
