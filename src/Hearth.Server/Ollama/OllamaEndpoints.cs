using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Hearth.Server.Ollama;

/// <summary>
/// The Ollama-compatible API under <c>/api</c>, as Ollama's docs/api.md describes it: clients written for Ollama
/// (OllamaSharp, ollama-python, Open WebUI) work by pointing them at <c>hearth serve</c>. One inference path with the
/// OpenAI surface (<see cref="Serving.ServedModels"/>, <c>LoadedModel</c>); this is only the dialect.
/// </summary>
internal static class OllamaEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        // Generation.
        group.MapPost("/chat", ChatEndpoint.HandleAsync);
        group.MapPost("/generate", GenerateEndpoint.HandleAsync);
        group.MapPost("/embed", EmbedEndpoint.HandleAsync);
        group.MapPost("/embeddings", EmbedEndpoint.HandleLegacyAsync);

        // The store and the pool.
        group.MapGet("/tags", ModelEndpoints.Tags);
        group.MapPost("/show", ShowEndpoint.HandleAsync);
        group.MapGet("/ps", ModelEndpoints.Running);
        group.MapPost("/pull", PullEndpoint.HandleAsync);
        group.MapDelete("/delete", ModelEndpoints.DeleteAsync);
        group.MapPost("/copy", ModelEndpoints.CopyAsync);

        // Client probes.
        group.MapMethods("/version", ["GET", "HEAD"], ModelEndpoints.Version);
    }
}
