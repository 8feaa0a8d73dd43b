using System.Text.Json;
using FastEndpoints.Swagger;
using NSwag;
using NSwag.Generation;
using Orbyt.Api.Features.Publications;
using Orbyt.Api.Security;
using Scalar.AspNetCore;

namespace Orbyt.Api.OpenApi;

/// <summary>
/// The API's reference: NSwag (through FastEndpoints.Swagger) describes the endpoints in OpenAPI 3.0,
/// <see cref="OpenApi31Document"/> turns that into the 3.1 document served at <c>/openapi/v1.json</c>, and Scalar
/// renders it at <c>/docs</c>.
/// </summary>
public static class OpenApiDocumentation
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddOrbytOpenApi(this IServiceCollection services)
    {
        services.SwaggerDocument(o =>
        {
            o.EnableJWTBearerAuth = false;
            o.ShortSchemaNames = true;
            // Tags come from each endpoint's Description(); the default would add a "V1" tag from the path.
            o.AutoTagPathSegmentIndex = 0;
            o.TagDescriptions = t =>
            {
                t["Clients"] = "The calling API client, its settings (allowed return URLs) and, for admin keys, other clients.";
                t["API keys"] = "Keys of the calling client. The plaintext is returned once, at creation.";
                t["Connections"] = "Connecting Facebook Pages, Instagram professional accounts and YouTube channels by OAuth; their token health.";
                t["Publications"] = "Publishing one image or video to one or more connections; asynchronous, one job per target.";
                t["Jobs"] = "Polling, retrying and cancelling the per-target publishing jobs.";
                t["Webhooks"] = "Signed (Standard Webhooks) event deliveries to your endpoints: registration, secrets, delivery log, test events. The events themselves are in the document's `webhooks` section.";
                t["Errors"] = "The error catalog: every code a problem response, a job error or a webhook can carry. Public.";
            };
            o.DocumentSettings = s =>
            {
                s.DocumentName = DocumentName;
                s.Title = "Orbyt Integration API";
                s.Version = "v1";
                s.Description = "Connect Facebook Pages, Instagram professional accounts and YouTube channels; publish images and videos asynchronously. " +
                                "Authenticate every call except the public ones with the X-Api-Key header. Errors are application/problem+json with a stable `code` " +
                                "from the error catalog (GET /v1/errors); each operation lists the codes it can answer with (`x-problem-codes`). " +
                                "Requests the server cannot read at all are answered before any operation, with malformed_request, uri_too_long (request line over 8 KB), " +
                                "request_headers_too_large (headers over 32 KB), request_timeout, length_required or not_implemented. " +
                                "Request bodies are application/json only (anything else is 415) and every request schema is closed: an unknown property is a 400 naming it. " +
                                "Authenticated answers carry RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset. " +
                                "Events sent to your webhook endpoints are in the `webhooks` section.";
                s.AddAuth(ApiKeyAuthenticationHandler.SchemeName, new OpenApiSecurityScheme
                {
                    Type = OpenApiSecuritySchemeType.ApiKey,
                    Name = ApiKeyAuthenticationHandler.HeaderName,
                    In = OpenApiSecurityApiKeyLocation.Header,
                    Description = "An API key of the form orb_{key_id}_{secret}: the bootstrap key, or one created with POST /v1/api-keys or POST /v1/clients.",
                });
                s.OperationProcessors.Add(new IdempotencyKeyHeaderProcessor());
                s.DocumentProcessors.Add(new WebhookPayloadSchemaProcessor());
            };
        });
        return services;
    }

    /// <summary>Serves the 3.1 document (built once per process) and the Scalar reference, both anonymous.</summary>
    public static WebApplication MapOrbytOpenApi(this WebApplication app)
    {
        var document = new Lazy<Task<string>>(async () =>
        {
            var generator = app.Services.GetRequiredService<IOpenApiDocumentGenerator>();
            var nswag = await generator.GenerateAsync(DocumentName);
            return OpenApi31Document.Convert(nswag.ToJson()).ToJsonString(new JsonSerializerOptions { WriteIndented = false });
        });
        app.MapGet(DocumentPath, async () => Results.Text(await document.Value, "application/json"))
            .AllowAnonymous()
            .ExcludeFromDescription();
        // Scalar reads /openapi/{documentName}.json, document v1, by default: the route above.
        app.MapScalarApiReference("/docs", o => o
                .WithTitle("Orbyt Integration API")
                .AddPreferredSecuritySchemes(ApiKeyAuthenticationHandler.SchemeName))
            .AllowAnonymous();
        return app;
    }
}
