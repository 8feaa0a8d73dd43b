using System.Diagnostics;
using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Keeps database and Redis calls out of the trace list unless they belong to a unit of work. The workers poll —
/// the job consumer reads the stream every 100 ms, the reconciler, the webhook dispatcher and the token refresher
/// query Postgres every second or so — and each of those calls, with no span around it, would be a root trace of
/// its own (about 22 a second). A call made inside a request, a job step, a webhook delivery or a refresh pass has a
/// parent and is kept; a call with no parent is not recorded. Orbyt's own loops start a span only when a pass found
/// work, so what is left in the dashboard is requests and jobs. The sampler cannot do this: it is not told the
/// span's source, and the database instrumentation adds its tags only after the sampling decision.
/// </summary>
public sealed class UnitOfWorkSpanFilter : BaseProcessor<Activity>
{
    /// <summary>The client instrumentation whose parentless spans are polling: Npgsql, and Aspire's StackExchange.Redis instrumentation.</summary>
    public static readonly string[] PollingClientSources = ["Npgsql", "OpenTelemetry.Instrumentation.StackExchangeRedis"];

    public override void OnStart(Activity data)
    {
        if (data.ParentSpanId != default || Array.IndexOf(PollingClientSources, data.Source.Name) < 0)
            return;
        data.IsAllDataRequested = false;
        data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
    }
}
