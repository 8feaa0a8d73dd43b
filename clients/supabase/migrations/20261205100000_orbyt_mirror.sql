-- Orbyt's publications and jobs as this database last heard of them, and the webhook deliveries already applied.
-- Written by the Edge Functions orbyt-publish (a publication and its queued jobs, from the 202 answer) and
-- orbyt-webhooks (job.published, job.failed, publication.completed). See docs/supabase.md in the Orbyt repository.

create table if not exists public.orbyt_publications (
  id               uuid primary key,                    -- Orbyt's publication id
  post_id          text unique,                         -- your post's id (orbyt-publish), null for others
  user_id          text not null,
  client_reference text,
  -- the rule of GET /v1/publications/{id}: pending while a job is queued or processing, then published, failed,
  -- partially_published or cancelled; recomputed from orbyt_jobs on every write
  status           text not null default 'pending',
  completed_at     timestamptz,
  updated_at       timestamptz not null default now()   -- when this row last changed here
);

create table if not exists public.orbyt_jobs (
  id                uuid primary key,                   -- Orbyt's job id
  publication_id    uuid not null references public.orbyt_publications (id) on delete cascade,
  connection_id     uuid not null,
  platform          text not null,
  status            text not null,                      -- queued, processing, published, failed, cancelled (no check: a
                                                        -- status Orbyt adds later must not turn deliveries into errors)
  stage             text,
  platform_post_id  text,
  permalink         text,
  error_code        text,                               -- a code of Orbyt's error catalog (GET /v1/errors)
  -- Orbyt's job.sequence: goes up with every change of the job. A state with a sequence not above this one is
  -- older or the same, and is never applied over it.
  sequence          bigint not null,
  orbyt_updated_at  timestamptz not null,               -- the job's updated_at at Orbyt
  completed_at      timestamptz,
  updated_at        timestamptz not null default now()  -- when this row last changed here
);

create index if not exists orbyt_jobs_publication_id on public.orbyt_jobs (publication_id);

-- One row per applied delivery: webhook-id is the same on every retry and resend of a delivery, so inserting it in
-- the transaction that applies the event makes each event apply once.
create table if not exists public.orbyt_webhook_receipts (
  webhook_id  text primary key,
  event_type  text not null,
  received_at timestamptz not null default now()
);

-- Only the service role (the Edge Functions) reads and writes these tables; nothing is exposed to the anon key.
alter table public.orbyt_publications enable row level security;
alter table public.orbyt_jobs enable row level security;
alter table public.orbyt_webhook_receipts enable row level security;
