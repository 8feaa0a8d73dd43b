import createFetchClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { components, paths } from "./schema.d.ts";

export type { components, paths } from "./schema.d.ts";
export { verifyWebhook, type OrbytWebhookEvent, type WebhookEventOf } from "./webhooks.ts";
export {
  waitForPublication,
  FINISHED_PUBLICATION_STATUSES,
  OrbytProblemError,
  type WaitForPublicationOptions,
  type PublicationRequest,
  type PublicationMedia,
  type PublicationTarget,
  type Publication,
  type Job,
  type JobResult,
} from "./publications.ts";

/** A problem document (application/problem+json) as every error leaves the API; `code` is from docs/errors.md. */
export type Problem = components["schemas"]["ProblemDocument"];

export interface OrbytClientOptions extends Omit<ClientOptions, "baseUrl"> {
  /** e.g. http://localhost:5200 (AppHost) */
  baseUrl: string;
  /** orb_{key_id}_{secret} */
  apiKey: string;
}

export type OrbytClient = Client<paths>;

/** A typed client for the Orbyt Integration API: every call carries the X-Api-Key header. */
export function createOrbytClient({ apiKey, headers, ...options }: OrbytClientOptions): OrbytClient {
  return createFetchClient<paths>({
    ...options,
    headers: { ...(headers as Record<string, string> | undefined), "X-Api-Key": apiKey },
  });
}
