// Publishes one of your posts through Orbyt: POST /v1/publications with an Idempotency-Key derived from the post's
// id, so a retried call (a timeout, a second click, a re-run job) never makes a second publication. The answer's
// publication and jobs go into the mirror tables, which orbyt-webhooks then keeps current.
import type { Sql } from "npm:postgres@3.4.9";
import { applyJob, ensurePublication, type OrbytJob, refreshPublication } from "../_shared/mirror.ts";

/** A post as your backend holds it; `targets` are Orbyt connection ids. Anything Orbyt takes besides goes in `options`. */
export interface OrbytPost {
  id: string;
  user_id: string;
  targets: string[];
  media: { type: "image" | "video"; url: string };
  caption?: string;
  title?: string;
  /** Further fields of POST /v1/publications (youtube, instagram, callback_url …), sent as they are. */
  options?: Record<string, unknown>;
}

export interface PublishHandlerOptions {
  apiUrl: string;
  apiKey: string;
  sql: Sql;
  log?: (line: string) => void;
  /** How long to wait out Orbyt's 409 idempotency_key_in_use (a concurrent call with the same post) before a 503. */
  inUseWaitMs?: number;
}

/** `orbyt-post-{post id}`: one key per post, whoever retries; Orbyt keeps a key for 24 h. */
export function idempotencyKey(postId: string): string {
  return `orbyt-post-${postId}`;
}

export function optionsFromEnv(): Omit<PublishHandlerOptions, "sql"> {
  const apiUrl = Deno.env.get("ORBYT_API_URL");
  const apiKey = Deno.env.get("ORBYT_API_KEY");
  if (!apiUrl) throw new Error("ORBYT_API_URL is not set");
  if (!apiKey) throw new Error("ORBYT_API_KEY is not set");
  return { apiUrl, apiKey };
}

export function createPublishHandler({ apiUrl, apiKey, sql, log = console.log, inUseWaitMs = 10_000 }: PublishHandlerOptions) {
  const endpoint = new URL("/v1/publications", apiUrl).toString();

  return async (request: Request): Promise<Response> => {
    if (request.method !== "POST") return new Response(null, { status: 405, headers: { allow: "POST" } });
    let post: OrbytPost;
    try {
      post = await request.json() as OrbytPost;
    } catch {
      return Response.json({ error: "invalid_json" }, { status: 400 });
    }
    const problem = invalid(post);
    if (problem) return Response.json({ error: "invalid_post", message: problem }, { status: 400 });

    const body = JSON.stringify({
      ...post.options,
      user_id: post.user_id,
      targets: post.targets.map((connection_id) => ({ connection_id })),
      media: post.media,
      caption: post.caption,
      title: post.title,
      client_reference: post.id,
    });
    const key = idempotencyKey(post.id);

    const deadline = Date.now() + inUseWaitMs;
    for (let wait = 250;; wait = Math.min(wait * 2, 2_000)) {
      const answer = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": apiKey, "idempotency-key": key },
        body,
      });
      const text = await answer.text();
      if (answer.status === 409 && Date.now() + wait < deadline) {
        // Another call for this post is being answered right now; its answer will be replayed to us.
        await answer.body?.cancel();
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      if (!answer.ok) {
        log(`orbyt-publish: post ${post.id}: Orbyt answered ${answer.status}`);
        // Orbyt's problem document as it came: its `code` is from Orbyt's error catalog.
        return new Response(text, { status: answer.status === 409 ? 503 : answer.status, headers: { "content-type": answer.headers.get("content-type") ?? "application/json" } });
      }
      const publication = JSON.parse(text) as { id: string; user_id: string; client_reference: string | null; jobs: OrbytJob[] };
      await sql.begin(async (tx) => {
        await ensurePublication(tx, { id: publication.id, user_id: publication.user_id, client_reference: publication.client_reference, post_id: post.id });
        for (const job of publication.jobs) await applyJob(tx, job);
        await refreshPublication(tx, publication.id);
      });
      const replayed = answer.headers.get("idempotent-replayed") === "true";
      log(`orbyt-publish: post ${post.id} -> publication ${publication.id}${replayed ? " (replayed)" : ""}`);
      return new Response(text, { status: answer.status, headers: { "content-type": "application/json", "idempotent-replayed": String(replayed) } });
    }
  };
}

function invalid(post: OrbytPost): string | undefined {
  if (typeof post?.id !== "string" || post.id === "") return "id is required";
  if (post.id.length > 200) return "id is longer than 200 characters";
  if (!/^[\x21-\x7e]+$/.test(post.id)) return "id must be printable ASCII without spaces";
  if (typeof post.user_id !== "string" || post.user_id === "") return "user_id is required";
  if (!Array.isArray(post.targets) || post.targets.length === 0) return "targets must list connection ids";
  if (typeof post.media?.url !== "string") return "media.url is required";
  return undefined;
}
