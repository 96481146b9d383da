using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Hearth.Server.OpenAi;

/// <summary>
/// The OpenAI-compatible surface under <c>/v1</c>. Every endpoint leases models through <c>ServedModels</c> and
/// generates through <c>LoadedModel</c> — the same path the Ollama surface takes; only the dialect differs.
/// Errors are OpenAI's <c>{"error": {"message", "type", "param", "code"}}</c> (see <c>ApiErrors</c>).
/// </summary>
internal static class OpenAiEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/models", ModelsEndpoint.List);
        // Ids may hold a namespace ("team/model:tag"), hence the catch-all.
        group.MapGet("/models/{**id}", ModelsEndpoint.Get);
        group.MapPost("/chat/completions", ChatCompletionsEndpoint.HandleAsync);
        group.MapPost("/completions", CompletionsEndpoint.HandleAsync);
        group.MapPost("/embeddings", EmbeddingsEndpoint.HandleAsync);
    }
}
