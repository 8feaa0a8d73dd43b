// Supabase Edge Function `orbyt-webhooks`: the URL to register with POST /v1/webhooks (docs/supabase.md).
// Deploy with --no-verify-jwt: Orbyt signs its deliveries (Standard Webhooks) instead of sending a Supabase JWT.
import { connect } from "../_shared/database.ts";
import { createWebhookHandler, secretsFromEnv } from "./handler.ts";

Deno.serve(createWebhookHandler({ secrets: secretsFromEnv(), sql: connect() }));
