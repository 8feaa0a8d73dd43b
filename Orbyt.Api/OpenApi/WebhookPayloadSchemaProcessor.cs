using Namotion.Reflection;
using NJsonSchema;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace Orbyt.Api.OpenApi;

/// <summary>Adds the webhook payloads' <c>data</c> types to the components, where the 3.1 conversion's <c>webhooks</c> refer to them.</summary>
public sealed class WebhookPayloadSchemaProcessor : IDocumentProcessor
{
    public void Process(DocumentProcessorContext context)
    {
        foreach (var e in WebhookEventDocs.All)
            context.SchemaGenerator.GenerateWithReference<JsonSchema>(e.Data.ToContextualType(), context.SchemaResolver);
    }
}
