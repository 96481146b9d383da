using Hearth.Server.Observability;
using Hearth.Server.Ollama;
using Hearth.Server.OpenAi;
using Hearth.Server.Playground;
using Microsoft.AspNetCore.Builder;

namespace Hearth.Server.Hosting;

/// <summary>Every route of <c>hearth serve</c>, registered in one place and grouped by surface.</summary>
internal static class Routes
{
    public static void Map(WebApplication app)
    {
        // Operations: liveness and Prometheus metrics (no authentication on /health, so probes work).
        HealthEndpoints.Map(app);
        MetricsEndpoints.Map(app);

        // OpenAI-compatible API: /v1/models, /v1/chat/completions, /v1/completions, /v1/embeddings.
        OpenAiEndpoints.Map(app.MapGroup("/v1"));

        // Ollama-compatible API: /api/chat, /api/generate, /api/tags, /api/show, /api/ps, /api/pull, /api/embed, …
        OllamaEndpoints.Map(app.MapGroup("/api"));

        // The web playground at /, served from embedded files (no CDN).
        PlaygroundEndpoints.Map(app);

        // Anything else: a 404 in the caller's dialect rather than an empty body.
        app.MapFallback(async context =>
            await Errors.ApiErrors.WriteAsync(context, 404, $"no route for {context.Request.Method} '{context.Request.Path}'", code: "unknown_route"));
    }
}
