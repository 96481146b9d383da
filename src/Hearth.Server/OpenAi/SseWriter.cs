using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Hearth.Server.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Hearth.Server.OpenAi;

/// <summary>
/// Server-sent events as OpenAI streams them: each event one <c>data: {json}</c> line and a blank line, flushed at
/// once; <c>data: [DONE]</c> ends a stream that succeeded, and a failure after the stream started becomes a last
/// <c>data: {"error": {...}}</c> event (https://html.spec.whatwg.org/multipage/server-sent-events.html).
/// </summary>
internal sealed class SseWriter
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    private readonly HttpResponse _response;

    private SseWriter(HttpResponse response) => _response = response;

    /// <summary>Sends the headers: from here on the status is 200 and errors must travel as events.</summary>
    public static async Task<SseWriter> StartAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        // Proxies such as nginx buffer responses unless told not to; a buffered stream is no stream.
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        return new SseWriter(response);
    }

    public async Task WriteAsync<T>(T value, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        await _response.Body.WriteAsync(DataPrefix, cancellationToken).ConfigureAwait(false);
        await JsonSerializer.SerializeAsync(_response.Body, value, type, cancellationToken).ConfigureAwait(false);
        await _response.Body.WriteAsync(EventEnd, cancellationToken).ConfigureAwait(false);
        await _response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteDoneAsync(CancellationToken cancellationToken)
    {
        await _response.Body.WriteAsync(Done, cancellationToken).ConfigureAwait(false);
        await _response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The failure as OpenAI's error object in a last event, mapped as <see cref="ErrorMapping"/> maps it for a status code.</summary>
    public Task WriteErrorAsync(ErrorMapping.Mapped error, CancellationToken cancellationToken) =>
        WriteAsync(new StreamError(new ErrorBody(error.Message, ApiErrors.DefaultType(error.Status), error.Param, error.Kind)),
            OpenAiJsonContext.Relaxed.StreamError, cancellationToken);
}
