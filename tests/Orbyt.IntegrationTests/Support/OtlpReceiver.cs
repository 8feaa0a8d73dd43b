using System.Collections.Concurrent;
using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Orbyt.IntegrationTests.Support;

/// <summary>A span as a service exported it over OTLP.</summary>
public sealed record CollectedSpan(
    string Service, string Scope, string TraceId, string SpanId, string? ParentSpanId, string Name, int Kind,
    DateTimeOffset Start, IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<(string TraceId, string SpanId)> Links)
{
    public bool IsRoot => ParentSpanId is null;
    public string? Tag(string key) => Attributes.GetValueOrDefault(key);
    public override string ToString() => $"{Service} {Scope} \"{Name}\" trace {TraceId}{(IsRoot ? " (root)" : "")}";
}

/// <summary>A log record as a service exported it over OTLP.</summary>
public sealed record CollectedLog(string Service, string Category, int Severity, string Body, DateTimeOffset Time)
{
    /// <summary>OTLP severity numbers: 13–16 warn, 17–20 error, 21–24 fatal.</summary>
    public bool IsError => Severity >= 17;
    public override string ToString() => $"{Time:HH:mm:ss.fff} {Service} [{Category}] sev {Severity}: {Body}";
}

/// <summary>
/// What the dashboard would receive: an OTLP/HTTP (protobuf) endpoint in the test process that every service of the
/// AppHost exports its traces and logs to, so tests can look at the real services' telemetry — the spans their
/// instrumentation and samplers let through, and the logs they write.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<CollectedSpan> _spans = new();
    private readonly ConcurrentQueue<CollectedLog> _logs = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public string Endpoint { get; private set; } = "";
    public IReadOnlyCollection<CollectedSpan> Spans => _spans;
    public IReadOnlyCollection<CollectedLog> Logs => _logs;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", async context => receiver.ReadTraces(await BodyAsync(context)));
        app.MapPost("/v1/logs", async context => receiver.ReadLogs(await BodyAsync(context)));
        app.MapPost("/v1/metrics", context => Task.CompletedTask);
        await app.StartAsync();
        receiver.Endpoint = app.Urls.First();
        return receiver;
    }

    private static async Task<byte[]> BodyAsync(HttpContext context)
    {
        Stream body = context.Request.Body;
        if (context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
            body = new GZipStream(body, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer);
        context.Response.ContentType = "application/x-protobuf";
        return buffer.ToArray();
    }

    private void ReadTraces(byte[] body) => Walk(body, (service, scope, span) => _spans.Enqueue(ReadSpan(service, scope, span)));

    private void ReadLogs(byte[] body) => Walk(body, (service, category, record) => _logs.Enqueue(ReadLog(service, category, record)));

    /// <summary>
    /// Traces and logs are nested alike: ExportXServiceRequest { repeated ResourceX = 1 }, ResourceX { Resource resource = 1;
    /// repeated ScopeX = 2 }, ScopeX { InstrumentationScope scope = 1; repeated X = 2 }. Calls <paramref name="each"/>
    /// for every X (a span or a log record) with its service and scope names.
    /// </summary>
    private static void Walk(byte[] body, Action<string, string, byte[]> each)
    {
        foreach (var resource in Repeated(body, 1))
        {
            var service = "";
            var scopes = new List<byte[]>();
            var reader = new ProtoReader(resource);
            while (reader.Next())
            {
                if (reader.Field == 1) service = ServiceName(reader.ReadBytes());
                else if (reader.Field == 2) scopes.Add(reader.ReadBytes().ToArray());
                else reader.Skip();
            }
            foreach (var scopeData in scopes)
            {
                var scope = "";
                var items = new List<byte[]>();
                var scopeReader = new ProtoReader(scopeData);
                while (scopeReader.Next())
                {
                    if (scopeReader.Field == 1) scope = ScopeName(scopeReader.ReadBytes());
                    else if (scopeReader.Field == 2) items.Add(scopeReader.ReadBytes().ToArray());
                    else scopeReader.Skip();
                }
                foreach (var item in items) each(service, scope, item);
            }
        }
    }

    private static List<byte[]> Repeated(byte[] message, int field)
    {
        var found = new List<byte[]>();
        var reader = new ProtoReader(message);
        while (reader.Next())
        {
            if (reader.Field == field) found.Add(reader.ReadBytes().ToArray());
            else reader.Skip();
        }
        return found;
    }

    // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; SpanKind kind = 6;
    //        fixed64 start_time_unix_nano = 7; repeated KeyValue attributes = 9; repeated Link links = 13 }
    private static CollectedSpan ReadSpan(string service, string scope, byte[] data)
    {
        var reader = new ProtoReader(data);
        string traceId = "", spanId = "", name = "";
        string? parent = null;
        var kind = 0;
        ulong start = 0;
        var attributes = new Dictionary<string, string>();
        var links = new List<(string, string)>();
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: traceId = Convert.ToHexStringLower(reader.ReadBytes()); break;
                case 2: spanId = Convert.ToHexStringLower(reader.ReadBytes()); break;
                case 4:
                    var parentBytes = reader.ReadBytes();
                    parent = parentBytes.Length == 0 ? null : Convert.ToHexStringLower(parentBytes);
                    break;
                case 5: name = reader.ReadString(); break;
                case 6: kind = (int)reader.ReadVarint(); break;
                case 7: start = reader.ReadFixed64(); break;
                case 9: AddAttribute(attributes, reader.ReadBytes()); break;
                case 13: links.Add(ReadLink(reader.ReadBytes())); break;
                default: reader.Skip(); break;
            }
        }
        return new CollectedSpan(service, scope, traceId, spanId, parent, name, kind, FromUnixNanos(start), attributes, links);
    }

    // Link { bytes trace_id = 1; bytes span_id = 2 }
    private static (string, string) ReadLink(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        string traceId = "", spanId = "";
        while (reader.Next())
        {
            if (reader.Field == 1) traceId = Convert.ToHexStringLower(reader.ReadBytes());
            else if (reader.Field == 2) spanId = Convert.ToHexStringLower(reader.ReadBytes());
            else reader.Skip();
        }
        return (traceId, spanId);
    }

    // LogRecord { fixed64 time_unix_nano = 1; SeverityNumber severity_number = 2; AnyValue body = 5; repeated KeyValue attributes = 6 }
    // A logged exception's type and message (attributes exception.type, exception.message) are appended to the text.
    private static CollectedLog ReadLog(string service, string category, byte[] data)
    {
        var reader = new ProtoReader(data);
        ulong time = 0;
        var severity = 0;
        var text = "";
        var attributes = new Dictionary<string, string>();
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: time = reader.ReadFixed64(); break;
                case 2: severity = (int)reader.ReadVarint(); break;
                case 5: text = AnyValueText(reader.ReadBytes()); break;
                case 6: AddAttribute(attributes, reader.ReadBytes()); break;
                default: reader.Skip(); break;
            }
        }
        if (attributes.TryGetValue("exception.message", out var exception))
            text += $" [{attributes.GetValueOrDefault("exception.type")}: {exception}]";
        return new CollectedLog(service, category, severity, text, FromUnixNanos(time));
    }

    // Resource { repeated KeyValue attributes = 1 }
    private static string ServiceName(ReadOnlySpan<byte> resource)
    {
        var attributes = new Dictionary<string, string>();
        var reader = new ProtoReader(resource);
        while (reader.Next())
        {
            if (reader.Field == 1) AddAttribute(attributes, reader.ReadBytes());
            else reader.Skip();
        }
        return attributes.GetValueOrDefault("service.name", "");
    }

    // InstrumentationScope { string name = 1 }
    private static string ScopeName(ReadOnlySpan<byte> scope)
    {
        var reader = new ProtoReader(scope);
        while (reader.Next())
        {
            if (reader.Field == 1) return reader.ReadString();
            reader.Skip();
        }
        return "";
    }

    // KeyValue { string key = 1; AnyValue value = 2 }
    private static void AddAttribute(Dictionary<string, string> attributes, ReadOnlySpan<byte> keyValue)
    {
        var reader = new ProtoReader(keyValue);
        string key = "", value = "";
        while (reader.Next())
        {
            if (reader.Field == 1) key = reader.ReadString();
            else if (reader.Field == 2) value = AnyValueText(reader.ReadBytes());
            else reader.Skip();
        }
        attributes[key] = value;
    }

    // AnyValue { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4 }
    private static string AnyValueText(ReadOnlySpan<byte> anyValue)
    {
        var reader = new ProtoReader(anyValue);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: return reader.ReadString();
                case 2: return reader.ReadVarint() != 0 ? "true" : "false";
                case 3: return ((long)reader.ReadVarint()).ToString(System.Globalization.CultureInfo.InvariantCulture);
                case 4: return BitConverter.UInt64BitsToDouble(reader.ReadFixed64()).ToString(System.Globalization.CultureInfo.InvariantCulture);
                default: reader.Skip(); break;
            }
        }
        return "";
    }

    private static DateTimeOffset FromUnixNanos(ulong nanos) => DateTimeOffset.UnixEpoch.AddTicks((long)(nanos / 100));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
