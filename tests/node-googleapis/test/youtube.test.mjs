// Google's own Node client (googleapis + google-auth-library, unmodified) against Orbyt.Sandbox: the OAuth code
// exchange with PKCE, getTokenInfo(), videos.insert in both forms the client knows (multipart with metadata, media
// alone; it has no resumable upload), videos.list, a refresh after a 401 and a quota error in Google's shape.
// Run by GoogleApisNodeClientTests (tests/Orbyt.Sandbox.Tests) with ORBYT_SANDBOX_URL set to a reset sandbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { google } from 'googleapis';

const sandboxUrl = process.env.ORBYT_SANDBOX_URL;
if (!sandboxUrl) throw new Error('Set ORBYT_SANDBOX_URL to the sandbox base URL, e.g. http://localhost:5190/');
const sandbox = new URL(sandboxUrl.endsWith('/') ? sandboxUrl : sandboxUrl + '/');
const at = path => new URL(path, sandbox).toString();

// The sandbox's default OAuth client and test identity (docs/sandbox.md).
const clientId = 'sandbox-client.apps.googleusercontent.com';
const clientSecret = 'sandbox-google-secret';
const redirectUri = 'https://app.example.com/oauth/google/callback';
const scopes = ['https://www.googleapis.com/auth/youtube.upload', 'https://www.googleapis.com/auth/youtube.readonly'];

// googleapis builds upload URLs from the per-call rootUrl only: a rootUrl given to google.youtube() is not applied to
// media uploads, and it drops a path prefix such as the sandbox's /youtube/.
const rootUrl = at('youtube/');

async function control(path, body) {
  const response = await fetch(at(`_sandbox/${path}`), {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

/** Consent as a browser would (the sandbox auto-consents for identity-1), then the client's own code exchange. */
async function connect(options = {}) {
  await control('settings', { auto_consent: { google: 'identity-1', google_scopes: null, google_deny: false } });
  const oauth2 = new google.auth.OAuth2({
    clientId,
    clientSecret,
    redirectUri,
    endpoints: {
      oauth2AuthBaseUrl: at('google-accounts/o/oauth2/v2/auth'),
      oauth2TokenUrl: at('google-oauth2/token'),
      oauth2RevokeUrl: at('google-oauth2/revoke'),
      tokenInfoUrl: at('google-oauth2/tokeninfo'),
    },
    ...options,
  });
  const { codeVerifier, codeChallenge } = await oauth2.generateCodeVerifierAsync();
  const consent = oauth2.generateAuthUrl({
    access_type: 'offline',
    prompt: 'consent',
    scope: scopes,
    state: 'node-state',
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
  });
  const redirect = await fetch(consent, { redirect: 'manual' });
  assert.equal(redirect.status, 302);
  const back = new URL(redirect.headers.get('location'));
  assert.equal(back.origin + back.pathname, redirectUri);
  assert.equal(back.searchParams.get('state'), 'node-state');
  const { tokens } = await oauth2.getToken({ code: back.searchParams.get('code'), codeVerifier });
  oauth2.setCredentials(tokens);
  return { oauth2, tokens, youtube: google.youtube({ version: 'v3', auth: oauth2 }) };
}

async function videoFile(dir, name, size) {
  const bytes = Buffer.concat([Buffer.from('\0\0\0\x18ftypisom', 'latin1'), randomBytes(size - 12)]);
  const file = join(dir, name);
  await writeFile(file, bytes);
  return { file, sha256: createHash('sha256').update(bytes).digest('hex'), size };
}

test('the runtime is one this googleapis release supports', async () => {
  const { version, engines } = JSON.parse(await readFile(new URL('../node_modules/googleapis/package.json', import.meta.url), 'utf8'));
  const [, minimum] = engines.node.match(/>=\s*(\d+)/);
  assert.ok(Number(process.versions.node.split('.')[0]) >= Number(minimum),
    `googleapis ${version} needs node ${engines.node}; npm test runs the node of the "node" devDependency, this is ${process.version}`);
});

test('connect, upload with metadata (multipart) and without (media), read both back with videos.list', async () => {
  await control('reset', {});
  const { oauth2, tokens, youtube } = await connect();
  assert.ok(tokens.refresh_token, 'access_type=offline with prompt=consent gives a refresh token');
  assert.deepEqual(tokens.scope.split(' ').sort(), [...scopes].sort());

  const info = await oauth2.getTokenInfo(tokens.access_token);
  assert.equal(info.aud, clientId);
  assert.ok(info.scopes.includes(scopes[0]));
  assert.ok(info.expiry_date > Date.now());

  const channels = await youtube.channels.list({ part: ['snippet', 'contentDetails'], mine: true }, { rootUrl });
  const channel = channels.data.items[0];
  assert.match(channel.id, /^UC/);

  const dir = await mkdtemp(join(tmpdir(), 'orbyt-googleapis-'));
  try {
    const described = await videoFile(dir, 'described.mp4', 3 * 1024 * 1024 + 17);
    const inserted = await youtube.videos.insert({
      part: ['snippet', 'status'],
      notifySubscribers: false,
      requestBody: {
        snippet: { title: 'Uploaded by googleapis', description: 'multipart/related', tags: ['node'], categoryId: '22' },
        status: { privacyStatus: 'private', selfDeclaredMadeForKids: false },
      },
      media: { mimeType: 'video/mp4', body: createReadStream(described.file) },
    }, { rootUrl });
    assert.equal(inserted.status, 200);
    assert.match(inserted.config.url.toString(), /uploadType=multipart/);
    assert.match(inserted.data.id, /^[A-Za-z0-9_-]{11}$/);
    assert.equal(inserted.data.status.uploadStatus, 'uploaded');

    const bare = await videoFile(dir, 'bare.mp4', 200_000);
    const mediaOnly = await youtube.videos.insert({
      part: ['snippet', 'status'],
      media: { mimeType: 'video/mp4', body: createReadStream(bare.file) },
    }, { rootUrl });
    assert.equal(mediaOnly.status, 200);
    assert.match(mediaOnly.config.url.toString(), /uploadType=media/);

    const listed = await youtube.videos.list({ part: ['snippet', 'status', 'processingDetails'], id: [inserted.data.id, mediaOnly.data.id] }, { rootUrl });
    const [first, second] = listed.data.items;
    assert.equal(first.snippet.title, 'Uploaded by googleapis');
    assert.equal(first.snippet.description, 'multipart/related');
    assert.deepEqual(first.snippet.tags, ['node']);
    assert.equal(first.snippet.channelId, channel.id);
    assert.equal(first.status.privacyStatus, 'private');
    assert.equal(first.processingDetails.processingStatus, 'processing');
    assert.equal(second.id, mediaOnly.data.id);
    assert.equal(second.status.privacyStatus, 'public');

    // What the sandbox received is byte for byte the file the client streamed.
    const published = (await control(`published?account_id=${channel.id}`)).data;
    const received = Object.fromEntries(published.map(p => [p.id, p]));
    assert.equal(received[inserted.data.id].sha256, described.sha256);
    assert.equal(received[inserted.data.id].byte_length, described.size);
    assert.equal(received[mediaOnly.data.id].sha256, bare.sha256);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('after a 401 the client refreshes its token once and the call goes through', async () => {
  await control('reset', {});
  const { oauth2, tokens, youtube } = await connect({ forceRefreshOnFailure: true });
  await control('tokens/expire', { token: tokens.access_token });

  const channels = await youtube.channels.list({ part: ['id'], mine: true }, { rootUrl });

  assert.equal(channels.status, 200);
  assert.notEqual(oauth2.credentials.access_token, tokens.access_token);
  const calls = await control('calls');
  assert.equal(calls.refresh_grants[tokens.refresh_token], 1);
});

test('a spent upload quota reaches the caller as Google\'s 403 quotaExceeded', async () => {
  await control('reset', {});
  const { youtube } = await connect();
  await control('quotas/exhaust', { quota: 'youtube_inserts' });

  await assert.rejects(
    youtube.videos.insert({
      part: ['snippet'],
      requestBody: { snippet: { title: 'Over quota' } },
      media: { mimeType: 'video/mp4', body: createReadStream(new URL(import.meta.url)) },
    }, { rootUrl }),
    error => {
      assert.equal(error.status, 403);
      const [first] = error.response.data.error.errors;
      assert.equal(first.reason, 'quotaExceeded');
      assert.equal(first.domain, 'youtube.quota');
      return true;
    });
});
