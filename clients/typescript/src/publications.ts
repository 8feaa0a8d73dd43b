import type { Client } from "openapi-fetch";
import type { components, paths } from "./schema.d.ts";

/** The body of POST /v1/publications: `media` is one item or a list of 1–10; each target may override text, format and options. */
export type PublicationRequest = components["schemas"]["CreatePublicationRequest"];
/** One media item (image or video, an image may carry `alt_text`). */
export type PublicationMedia = components["schemas"]["PublicationMedia"];
/** One target: its connection and what it does differently (`format`, `caption`, `title`, `first_comment`, platform options). */
export type PublicationTarget = components["schemas"]["PublicationTarget"];
/** A publication with its jobs, as GET /v1/publications/{id} answers. */
export type Publication = components["schemas"]["PublicationResponse"];
/** One job (one target) of a publication. */
export type Job = components["schemas"]["JobResponse"];
/** A published job's result: permalink, `children` (carousel / multi-photo), `first_comment`, `thumbnail`, `playlist`, `warnings`. */
export type JobResult = components["schemas"]["JobResult"];

/** A publication status after which nothing changes on its own (scheduled publications wait for their time first). */
export const FINISHED_PUBLICATION_STATUSES: readonly Publication["status"][] = ["published", "partially_published", "failed", "cancelled"];

/** The API answered a problem document where a success was expected. */
export class OrbytProblemError extends Error {
  constructor(readonly status: number, readonly problem: components["schemas"]["ProblemDocument"] | undefined) {
    super(`Orbyt answered ${status}${problem?.code ? ` ${problem.code}` : ""}: ${problem?.detail ?? problem?.title ?? "no problem document"}`);
    this.name = "OrbytProblemError";
  }
}

export interface WaitForPublicationOptions {
  /** Give up (throw) after this long; default 5 minutes. */
  timeoutMs?: number;
  /** Time between polls; default 2 s. A 429 answer waits for its Retry-After instead. */
  intervalMs?: number;
  /** Stops waiting (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Called with every state read before the publication finishes (progress display, logging). */
  onPoll?: (publication: Publication) => void | Promise<void>;
}

/**
 * Polls GET /v1/publications/{id} until the publication is published, partially_published, failed or cancelled, and
 * returns it with every job's final state and result. Webhooks (job.published, publication.completed) tell the same
 * without polling; this is for scripts, tests and servers that cannot receive them.
 * Throws {@link OrbytProblemError} on an error answer other than 429, and an Error after `timeoutMs`.
 */
export async function waitForPublication(
  client: Client<paths>,
  publication: { id: string; user_id: string },
  { timeoutMs = 300_000, intervalMs = 2_000, signal, onPoll }: WaitForPublicationOptions = {},
): Promise<Publication> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    const { data, error, response } = await client.GET("/v1/publications/{id}", {
      params: { path: { id: publication.id }, query: { user_id: publication.user_id } },
      signal,
    });
    let waitMs = intervalMs;
    if (data) {
      if (FINISHED_PUBLICATION_STATUSES.includes(data.status)) return data;
      await onPoll?.(data);
    } else if (response.status === 429) {
      const retryAfter = Number(response.headers.get("retry-after"));
      waitMs = Math.max(intervalMs, Number.isFinite(retryAfter) ? retryAfter * 1000 : 0);
    } else {
      throw new OrbytProblemError(response.status, error);
    }
    if (Date.now() + waitMs > deadline) throw new Error(`publication ${publication.id} did not finish within ${timeoutMs} ms`);
    await sleep(waitMs, signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
  });
}
