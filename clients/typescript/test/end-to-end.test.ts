// Against a running system (the AppHost with sandbox platforms): connect a YouTube channel, publish a sandbox Mux
// video, poll the job to published and receive the job.published webhook; connect Instagram and publish a carousel
// and a Reel with a first comment, checked against what the sandbox received — all through the typed client.
// Env: ORBYT_API_URL, ORBYT_API_KEY (an admin key, e.g. the bootstrap key), ORBYT_SANDBOX_URL.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { Ajv2020 } from "ajv/dist/2020.js";
import {
  createOrbytClient,
  verifyWebhook,
  waitForPublication,
  type OrbytClient,
  type OrbytWebhookEvent,
  type Publication,
  type PublicationMedia,
} from "../src/index.ts";

const apiUrl = required("ORBYT_API_URL");
const adminKey = required("ORBYT_API_KEY");
const sandboxUrl = required("ORBYT_SANDBOX_URL");
const returnPrefix = "https://app.orbyt.test/ts-client/";
const userId = `ts-${randomUUID().slice(0, 8)}`;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value.replace(/\/$/, "");
}

/** Polls until `check` returns a value, or fails with the last state after the deadline. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function sandbox(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandboxUrl}${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  assert.ok(response.ok, `${path}: ${response.status} ${await response.clone().text()}`);
  const text = await response.text();
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Follows the consent redirects as a browser would (the sandbox answers at once for auto-consent); the connection id. */
async function followToConnected(authorizationUrl: string): Promise<string> {
  let url = authorizationUrl;
  for (let hop = 0; hop < 10 && !url.startsWith(returnPrefix); hop++) {
    const response = await fetch(url, { redirect: "manual" });
    const location = response.headers.get("location");
    assert.ok(location, `${url} answered ${response.status} without a redirect: ${await response.text()}`);
    url = new URL(location, url).toString();
  }
  const returned = new URL(url).searchParams;
  assert.equal(returned.get("status"), "connected", url);
  return returned.get("connection_ids")!;
}

interface Delivery { headers: IncomingHttpHeaders; body: string }
const deliveries: Delivery[] = [];
let receiver: Server;
let receiverUrl: string;
let orbyt: OrbytClient;
let apiKey: string;
let validate: (schema: string, value: unknown) => void;

before(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/orbyt`;

  // The live document: payloads and responses below must match its schemas.
  const document = (await (await fetch(`${apiUrl}/openapi/v1.json`)).json()) as Record<string, unknown>;
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema(document, "https://orbyt.invalid/openapi.json");
  validate = (schema, value) => {
    const check = ajv.getSchema(`https://orbyt.invalid/openapi.json#/components/schemas/${schema}`);
    assert.ok(check, `schema ${schema} is not in the document`);
    assert.ok(check(value), `${schema}: ${JSON.stringify(check.errors)}\n${JSON.stringify(value)}`);
  };

  // A client of our own, so the return URL and the webhook endpoint touch nobody else; then a second key for it.
  const admin = createOrbytClient({ baseUrl: apiUrl, apiKey: adminKey });
  const created = await admin.POST("/v1/clients", { body: { name: `ts-client-${userId}`, allowed_return_urls: [returnPrefix] } });
  assert.ok(created.data, JSON.stringify(created.error));
  const first = createOrbytClient({ baseUrl: apiUrl, apiKey: created.data.api_key.key });
  const key = await first.POST("/v1/api-keys", { body: { name: "node --test" } });
  assert.ok(key.data, JSON.stringify(key.error));
  apiKey = key.data.key;
  orbyt = createOrbytClient({ baseUrl: apiUrl, apiKey });
});

after(async () => {
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
});

test("a problem response is typed and carries a catalog code", async () => {
  const { error, response } = await orbyt.GET("/v1/jobs/{id}", { params: { path: { id: randomUUID() }, query: { user_id: userId } } });
  assert.equal(response.status, 404);
  assert.equal(response.headers.get("content-type"), "application/problem+json");
  assert.equal(error?.code, "not_found");
  validate("ProblemDocument", error);
});

test("connect a YouTube channel, publish a Mux video, poll it to published and verify the job.published webhook", async () => {
  const hook = await orbyt.POST("/v1/webhooks", { body: { url: receiverUrl, events: ["job.published"], description: "node --test" } });
  assert.ok(hook.data?.secret, JSON.stringify(hook.error));
  assert.equal(hook.response.status, 201);
  const secret = hook.data.secret;

  // Connect: the sandbox's consent pages answer at once for a fresh identity; follow the redirects as a browser would.
  const identity = await sandbox("/_sandbox/identities", { name: "TS Creator" });
  await sandbox("/_sandbox/settings", { auto_consent: { google: identity.id, meta: identity.id } });
  const start = await orbyt.POST("/v1/connections/{platform}/authorize", {
    params: { path: { platform: "youtube" } },
    body: { user_id: userId, return_url: returnPrefix },
  });
  assert.ok(start.data, JSON.stringify(start.error));
  const connectionId = await followToConnected(start.data.authorization_url);
  const connection = await orbyt.GET("/v1/connections/{id}", { params: { path: { id: connectionId }, query: { user_id: userId } } });
  assert.equal(connection.data?.status, "active");
  assert.equal(connection.data?.platform, "youtube");
  validate("ConnectionResponse", connection.data);

  // Publish a sandbox Mux video, twice with the same Idempotency-Key: the second is a replay.
  const asset = await sandbox("/_sandbox/mux/assets", { size_bytes: 1048576, ready_after_seconds: 0 });
  const body = {
    user_id: userId,
    targets: [{ connection_id: connectionId }],
    media: { type: "video" as const, url: String(asset.url) },
    title: "Published by node --test",
    youtube: { privacy_status: "unlisted" as const },
  };
  const idempotencyKey = randomUUID();
  const published = await orbyt.POST("/v1/publications", { params: { header: { "Idempotency-Key": idempotencyKey } }, body });
  assert.equal(published.response.status, 202, JSON.stringify(published.error));
  assert.ok(published.data);
  validate("PublicationResponse", published.data);
  const replay = await orbyt.POST("/v1/publications", { params: { header: { "Idempotency-Key": idempotencyKey } }, body });
  assert.equal(replay.response.headers.get("idempotent-replayed"), "true");
  assert.equal(replay.data?.id, published.data.id);
  const jobId = published.data.jobs[0]!.id;

  // Poll; YouTube's processing runs on the sandbox's clock, so move it along once the upload is done.
  const job = await eventually("the job to finish", async () => {
    const { data } = await orbyt.GET("/v1/jobs/{id}", { params: { path: { id: jobId }, query: { user_id: userId } } });
    assert.ok(data);
    if (data.status === "published" || data.status === "failed" || data.status === "cancelled") return data;
    if (data.stage === "platform_processing") await sandbox("/_sandbox/clock/advance", { seconds: 120 });
    return undefined;
  });
  assert.equal(job.status, "published", JSON.stringify(job.error));
  assert.match(job.result?.permalink ?? "", /youtube/);
  validate("JobResponse", job);

  const delivery = await eventually("the job.published webhook", async () =>
    deliveries.find((d) => d.body.includes(jobId)), 60_000);
  const event: OrbytWebhookEvent = verifyWebhook(secret, delivery.body, delivery.headers);
  validate("WebhookEvent", event);
  assert.equal(event.type, "job.published");
  if (event.type !== "job.published") return;
  assert.equal(event.data.job.id, jobId);
  assert.equal(event.data.publication_id, published.data.id);
  assert.equal(event.data.job.result?.permalink, job.result?.permalink);
  assert.throws(() => verifyWebhook(secret, delivery.body.replace(jobId, randomUUID()), delivery.headers), /signature/i);
});

test("connect an Instagram account without a Facebook Page through Instagram Login and publish an image to it", async () => {
  const identity = await sandbox("/_sandbox/identities", { name: "TS Instagram Creator", meta: false, google: false, instagram_without_page: 1 });
  await sandbox("/_sandbox/settings", { auto_consent: { instagram: identity.id } });
  try {
    const start = await orbyt.POST("/v1/connections/{platform}/authorize", {
      params: { path: { platform: "instagram" } },
      body: { user_id: userId, return_url: returnPrefix, login: "instagram" },
    });
    assert.ok(start.data, JSON.stringify(start.error));
    const connectionId = await followToConnected(start.data.authorization_url);
    const connection = await orbyt.GET("/v1/connections/{id}", { params: { path: { id: connectionId }, query: { user_id: userId } } });
    assert.equal(connection.data?.status, "active");
    assert.equal(connection.data?.platform, "instagram");
    assert.equal(connection.data?.login, "instagram");
    validate("ConnectionResponse", connection.data);

    const published = await orbyt.POST("/v1/publications", {
      params: { header: { "Idempotency-Key": randomUUID() } },
      body: {
        user_id: userId,
        targets: [{ connection_id: connectionId }],
        media: { type: "image", url: `${sandboxUrl}/_sandbox/media/image.jpg` },
        caption: "Published by node --test through Instagram Login",
      },
    });
    assert.equal(published.response.status, 202, JSON.stringify(published.error));
    const jobId = published.data!.jobs[0]!.id;
    const job = await eventually("the Instagram job to finish", async () => {
      const { data } = await orbyt.GET("/v1/jobs/{id}", { params: { path: { id: jobId }, query: { user_id: userId } } });
      assert.ok(data);
      if (data.status === "published" || data.status === "failed" || data.status === "cancelled") return data;
      if (data.stage === "platform_processing") await sandbox("/_sandbox/clock/advance", { seconds: 60 });
      return undefined;
    });
    assert.equal(job.status, "published", JSON.stringify(job.error));
    assert.match(job.result?.permalink ?? "", /instagram\.com/);
    validate("JobResponse", job);
  } finally {
    await sandbox("/_sandbox/settings", { auto_consent: { instagram: null } });
  }
});

// ---- Instagram carousel and Reel with a first comment (issue 17) ----------------------------------------------------

/** What the sandbox's control API says it received as published (GET /_sandbox/published, docs/sandbox.md). */
interface SandboxPublished {
  id: string;
  type: string;
  caption?: string;
  sha256?: string;
  byte_length: number;
  children?: { type: string; sha256?: string; byte_length: number; alt_text?: string }[];
  comments: { id: string; message: string; author_id: string }[];
}

async function publishedOn(accountId: string): Promise<SandboxPublished[]> {
  const response = await fetch(`${sandboxUrl}/_sandbox/published?account_id=${encodeURIComponent(accountId)}`);
  assert.ok(response.ok, `published: ${response.status}`);
  return ((await response.json()) as { data: SandboxPublished[] }).data;
}

/** SHA-256 (hex) of the bytes at `url`, with Web Crypto (the same under node and Deno). */
async function sha256Of(url: string): Promise<string> {
  const response = await fetch(url);
  assert.ok(response.ok, `${url}: ${response.status}`);
  const digest = await crypto.subtle.digest("SHA-256", await response.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A sandbox Mux video a Reel accepts (9:16, 30 s), with the SHA-256 of the bytes the URL serves. */
async function reelVideo(): Promise<{ url: string; sha256: string }> {
  const asset = await sandbox("/_sandbox/mux/assets", { size_bytes: 512 * 1024, ready_after_seconds: 0, duration_seconds: 30, width: 1080, height: 1920 });
  const url = String(asset.url);
  const sha256 = await sha256Of(url);
  assert.equal(sha256, asset.sha256, "the Mux URL serves the asset's bytes");
  return { url, sha256 };
}

/** A fresh sandbox person with a Page linked to an Instagram professional account, connected through Facebook Login. */
async function connectInstagram(name: string): Promise<{ connectionId: string; accountId: string }> {
  const identity = await sandbox("/_sandbox/identities", { name, google: false });
  await sandbox("/_sandbox/settings", { auto_consent: { meta: identity.id } });
  try {
    const start = await orbyt.POST("/v1/connections/{platform}/authorize", {
      params: { path: { platform: "instagram" } },
      body: { user_id: userId, return_url: returnPrefix },
    });
    assert.ok(start.data, JSON.stringify(start.error));
    const connectionId = (await followToConnected(start.data.authorization_url)).split(",")[0]!;
    const connection = await orbyt.GET("/v1/connections/{id}", { params: { path: { id: connectionId }, query: { user_id: userId } } });
    assert.ok(connection.data, JSON.stringify(connection.error));
    assert.equal(connection.data.platform, "instagram");
    return { connectionId, accountId: connection.data.account.id };
  } finally {
    await sandbox("/_sandbox/settings", { auto_consent: { meta: null } });
  }
}

/**
 * Waits with the client's helper; Meta's container processing runs on the sandbox's clock, so move it along on every
 * poll (as the .NET integration tests do).
 */
async function publishedPublication(id: string): Promise<Publication> {
  const publication = await waitForPublication(orbyt, { id, user_id: userId }, {
    timeoutMs: 180_000,
    intervalMs: 500,
    onPoll: async () => void (await sandbox("/_sandbox/clock/advance", { seconds: 20 })),
  });
  assert.equal(publication.status, "published", JSON.stringify(publication.jobs.map((j) => j.error)));
  validate("PublicationResponse", publication);
  return publication;
}

test("publish an Instagram carousel of images and a video with alt text, and the sandbox holds every item's bytes", async () => {
  const { connectionId, accountId } = await connectInstagram("TS Carousel Creator");
  const imageUrl = `${sandboxUrl}/_sandbox/media/image.jpg`;
  const imageSha256 = await sha256Of(imageUrl);
  const video = await reelVideo();
  const media: PublicationMedia[] = [
    { type: "image", url: imageUrl, alt_text: "A red mug on a wooden desk, seen from the front" },
    { type: "video", url: video.url },
    { type: "image", url: imageUrl },
  ];

  const created = await orbyt.POST("/v1/publications", {
    params: { header: { "Idempotency-Key": randomUUID() } },
    body: { user_id: userId, targets: [{ connection_id: connectionId, format: "feed" }], media, caption: "Three views of the mug #mug" },
  });
  assert.equal(created.response.status, 202, JSON.stringify(created.error));
  assert.ok(created.data);

  const publication = await publishedPublication(created.data.id);
  const result = publication.jobs[0]?.result;
  assert.ok(result?.platform_post_id, JSON.stringify(publication.jobs[0]));
  assert.equal(result.children?.length, 3, "one child container per media item");
  assert.match(result.permalink ?? "", /^https:\/\/www\.instagram\.com\/p\//);

  const carousel = (await publishedOn(accountId)).find((p) => p.id === result.platform_post_id);
  assert.ok(carousel, `the sandbox has no post ${result.platform_post_id}`);
  assert.equal(carousel.type, "carousel");
  assert.equal(carousel.caption, "Three views of the mug #mug");
  assert.deepEqual(
    carousel.children?.map((c) => [c.type, c.sha256]),
    [["image", imageSha256], ["video", video.sha256], ["image", imageSha256]],
  );
  assert.equal(carousel.children?.[0]?.alt_text, "A red mug on a wooden desk, seen from the front");
  assert.equal(carousel.children?.[2]?.alt_text, undefined);
});

test("publish an Instagram Reel with a first comment: the job result names the comment the sandbox holds under the Reel", async () => {
  const { connectionId, accountId } = await connectInstagram("TS Reel Creator");
  const video = await reelVideo();

  const created = await orbyt.POST("/v1/publications", {
    params: { header: { "Idempotency-Key": randomUUID() } },
    body: {
      user_id: userId,
      targets: [{ connection_id: connectionId, format: "reels", caption: "Thirty seconds of mug #reels", instagram: { share_to_feed: true } }],
      media: { type: "video", url: video.url },
      caption: "Shared caption other targets would get",
      first_comment: "Shop the mug: https://shop.example/mug",
    },
  });
  assert.equal(created.response.status, 202, JSON.stringify(created.error));
  assert.ok(created.data);

  const publication = await publishedPublication(created.data.id);
  const result = publication.jobs[0]?.result;
  assert.ok(result?.platform_post_id, JSON.stringify(publication.jobs[0]));
  assert.equal(result.first_comment?.status, "published", JSON.stringify(result.first_comment));
  assert.ok(result.first_comment.id);
  assert.deepEqual(result.warnings, []);

  const reel = (await publishedOn(accountId)).find((p) => p.id === result.platform_post_id);
  assert.ok(reel, `the sandbox has no post ${result.platform_post_id}`);
  assert.equal(reel.type, "reels");
  assert.equal(reel.caption, "Thirty seconds of mug #reels");
  assert.equal(reel.sha256, video.sha256);
  assert.deepEqual(reel.comments.map((c) => [c.id, c.message, c.author_id]), [[result.first_comment.id, "Shop the mug: https://shop.example/mug", accountId]]);
});
