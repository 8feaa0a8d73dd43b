// Supabase Edge Function `orbyt-publish`: call it with one of your posts (docs/supabase.md). Keep Supabase's JWT check
// on (the default): only your own backend should be able to publish.
import { connect } from "../_shared/database.ts";
import { createPublishHandler, optionsFromEnv } from "./handler.ts";

Deno.serve(createPublishHandler({ ...optionsFromEnv(), sql: connect() }));
