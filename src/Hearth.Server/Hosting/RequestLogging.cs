using System.Diagnostics;
using Hearth.Server.Observability;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hearth.Server.Hosting;

/// <summary>One structured log line per request (method, path, status, duration) and the request counters.</summary>
public sealed partial class RequestLogging(RequestDelegate next, ServerMetrics metrics, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            var route = ServerMetrics.RouteLabel(context.Request.Path);
            metrics.Request(route, context.Response.StatusCode, elapsed);
            Log(logger, context.Request.Method, context.Request.Path.Value ?? "", context.Response.StatusCode, elapsed.TotalMilliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} {Status} {ElapsedMs:0.0} ms")]
    private static partial void Log(ILogger logger, string method, string path, int status, double elapsedMs);
}
