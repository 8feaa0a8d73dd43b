// One postgres.js pool per function instance. SUPABASE_DB_URL is set by Supabase for every Edge Function.
import postgres from "npm:postgres@3.4.9";

/** The database of the Supabase project. `prepare: false` so the transaction-mode pooler (port 6543) works too. */
export function connect(url = Deno.env.get("SUPABASE_DB_URL")) {
  if (!url) throw new Error("SUPABASE_DB_URL is not set");
  return postgres(url, { prepare: false, max: 5, idle_timeout: 20, connect_timeout: 10, onnotice: () => {} });
}
