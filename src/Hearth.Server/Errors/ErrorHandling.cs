using Hearth.Server.Observability;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hearth.Server.Errors;

/// <summary>
/// Turns any exception an endpoint throws before its response has started into the surface's error JSON with the
/// right status; counts it by kind. A client that went away is not an error.
/// </summary>
public sealed class ErrorHandling(RequestDelegate next, ServerMetrics metrics, ILogger<ErrorHandling> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            metrics.Error("client_disconnected");
        }
        catch (Exception ex)
        {
            var mapped = ErrorMapping.Map(ex, context.Request);
            metrics.Error(mapped.Kind);
            if (mapped.Status >= 500)
                logger.LogError(ex, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            await ApiErrors.WriteAsync(context, mapped.Status, mapped.Message, param: mapped.Param, code: mapped.Kind, retryAfter: mapped.RetryAfter)
                .ConfigureAwait(false);
        }
    }
}
