using Hearth.Server.Errors;
using Hearth.Server.Observability;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearth.Server.OpenAi;

/// <summary>
/// A streamed OpenAI response. Once the headers are out, a failure cannot change the status, so it is sent as a last
/// <c>data: {"error": …}</c> event (never a silent truncation); a client that went away just ends the stream. The
/// generation it streams (and its model lease) is disposed when the response ends, however it ends.
/// </summary>
internal sealed class ServerSentEventsResult(PrimedGeneration generation, Func<SseWriter, CancellationToken, Task> write) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        await using (generation.ConfigureAwait(false))
        {
            var aborted = httpContext.RequestAborted;
            var metrics = httpContext.RequestServices.GetRequiredService<ServerMetrics>();
            var writer = await SseWriter.StartAsync(httpContext).ConfigureAwait(false);
            try
            {
                await write(writer, aborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (aborted.IsCancellationRequested || ex is IOException)
            {
                metrics.Error("client_disconnected");
            }
            catch (Exception ex)
            {
                var mapped = ErrorMapping.Map(ex);
                metrics.Error(mapped.Kind);
                if (mapped.Status >= 500)
                    httpContext.RequestServices.GetRequiredService<ILogger<ServerSentEventsResult>>()
                        .LogError(ex, "{Method} {Path} failed while streaming", httpContext.Request.Method, httpContext.Request.Path);
                try
                {
                    await writer.WriteErrorAsync(mapped, aborted).ConfigureAwait(false);
                }
                catch (Exception late) when (aborted.IsCancellationRequested || late is IOException)
                {
                    // The client left while we reported; nothing more to tell it.
                }
            }
        }
    }
}
