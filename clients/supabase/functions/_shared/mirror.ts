// The mirror tables (migrations/*_orbyt_mirror.sql): Orbyt's publications and jobs as this database last heard of
// them. Shared by orbyt-webhooks and orbyt-publish; every function here runs inside the caller's transaction.
import type { Sql, TransactionSql } from "npm:postgres@3.4.9";

export type Db = Sql | TransactionSql;

/** A job as Orbyt sends it (GET /v1/jobs/{id}, the job.* and publication.completed webhooks); only what is mirrored. */
export interface OrbytJob {
  id: string;
  publication_id: string;
  connection_id: string;
  user_id: string;
  platform: string;
  status: string;
  stage: string | null;
  result: { platform_post_id: string | null; permalink: string | null } | null;
  error: { code: string } | null;
  /** Goes up with every change of the job at Orbyt: of two states of one job, the higher is the newer. */
  sequence: number;
  updated_at: string;
  completed_at: string | null;
}

/** Creates the publication's row if it is new; an existing row only gains what it lacked (an event may know less). */
export async function ensurePublication(
  db: Db,
  publication: { id: string; user_id: string; client_reference?: string | null; post_id?: string | null },
): Promise<void> {
  await db`
    insert into orbyt_publications (id, user_id, client_reference, post_id)
    values (${publication.id}, ${publication.user_id}, ${publication.client_reference ?? null}, ${publication.post_id ?? null})
    on conflict (id) do update set
      client_reference = coalesce(orbyt_publications.client_reference, excluded.client_reference),
      post_id = coalesce(orbyt_publications.post_id, excluded.post_id),
      updated_at = now()
    where (orbyt_publications.client_reference is null and excluded.client_reference is not null)
       or (orbyt_publications.post_id is null and excluded.post_id is not null)`;
}

/**
 * Writes the job's state unless the row already holds the same or a newer one (a sequence not below the event's):
 * a late delivery of an older state changes nothing. Returns whether the row changed.
 */
export async function applyJob(db: Db, job: OrbytJob): Promise<boolean> {
  const changed = await db`
    insert into orbyt_jobs (id, publication_id, connection_id, platform, status, stage, platform_post_id, permalink,
                            error_code, sequence, orbyt_updated_at, completed_at)
    values (${job.id}, ${job.publication_id}, ${job.connection_id}, ${job.platform}, ${job.status}, ${job.stage},
            ${job.result?.platform_post_id ?? null}, ${job.result?.permalink ?? null}, ${job.error?.code ?? null},
            ${job.sequence}, ${instant(job.updated_at)}::text::timestamptz, ${instant(job.completed_at)}::text::timestamptz)
    on conflict (id) do update set
      status = excluded.status, stage = excluded.stage, platform_post_id = excluded.platform_post_id,
      permalink = excluded.permalink, error_code = excluded.error_code, sequence = excluded.sequence,
      orbyt_updated_at = excluded.orbyt_updated_at, completed_at = excluded.completed_at, updated_at = now()
    where orbyt_jobs.sequence < excluded.sequence
    returning id`;
  return changed.length > 0;
}

/**
 * The publication's status from its mirrored jobs, by the rule GET /v1/publications/{id} uses: pending while a job is
 * not finished, then published, failed, cancelled or partially_published. `completedAt` (publication.completed's
 * timestamp) only moves forward, as Orbyt's does when a retried job finishes later.
 */
export async function refreshPublication(db: Db, publicationId: string, completedAt: string | null = null): Promise<void> {
  completedAt = instant(completedAt);
  await db`
    update orbyt_publications p set
      status = s.status,
      completed_at = greatest(p.completed_at, ${completedAt}::text::timestamptz),
      updated_at = now()
    from (
      select case
        when count(*) = 0 or count(*) filter (where status not in ('published', 'failed', 'cancelled')) > 0 then 'pending'
        when count(*) filter (where status = 'published') = count(*) then 'published'
        when count(*) filter (where status = 'published') > 0 then 'partially_published'
        when count(*) filter (where status = 'cancelled') = count(*) then 'cancelled'
        else 'failed' end as status
      from orbyt_jobs where publication_id = ${publicationId}
    ) s
    where p.id = ${publicationId}
      -- a delivery that changes nothing leaves the row as it was, updated_at included
      and (p.status is distinct from s.status
           or p.completed_at is distinct from greatest(p.completed_at, ${completedAt}::text::timestamptz))`;
}

/**
 * An ISO 8601 instant cut to microseconds, sent as text (`::text::timestamptz`: postgres.js would turn a timestamptz
 * parameter into a JS Date, losing everything below the millisecond). Orbyt's instants have seven decimals in JSON
 * and six in its database, cut, not rounded; PostgreSQL would round the seventh.
 */
export function instant(value: string | null): string | null {
  return value === null ? null : value.replace(/(\.\d{6})\d+/, "$1");
}
