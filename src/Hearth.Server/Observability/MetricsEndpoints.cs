using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Observability;

/// <summary><c>GET /metrics</c>: Prometheus text exposition format 0.0.4.</summary>
internal static class MetricsEndpoints
{
    public static void Map(WebApplication app) =>
        app.MapGet("/metrics", (ServerMetrics metrics) => TypedResults.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));
}
