using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Observability;

/// <summary><c>GET /health</c>: 200 with a small JSON body while the server runs (no authentication, for probes).</summary>
internal static class HealthEndpoints
{
    public static void Map(WebApplication app) =>
        app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" }));
}
