using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Ollama;

/// <summary>
/// How the Ollama surface writes JSON: snake_case names (<c>done_reason</c>, <c>prompt_eval_count</c>), nulls left out,
/// one object per line when streaming (NDJSON, <c>application/x-ndjson</c>, as Ollama's <c>server/routes.go</c> does).
/// </summary>
internal static class OllamaJson
{
    public const string NdjsonContentType = "application/x-ndjson";

    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Ollama's <c>created_at</c>: RFC 3339 in UTC with fractional seconds.</summary>
    public static string Timestamp() => Timestamp(DateTimeOffset.UtcNow);

    public static string Timestamp(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Durations are integers of nanoseconds in Ollama's API.</summary>
    public static long Nanoseconds(TimeSpan duration) => duration.Ticks * 100;

    /// <summary>Starts a 200 NDJSON response; after this, errors can only be sent as a final <c>{"error": …}</c> line.</summary>
    public static async Task BeginStreamAsync(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = NdjsonContentType;
        // No proxy in between should hold the stream back (nginx honours this header).
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(response.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes one object as a line and flushes it to the client at once.</summary>
    public static async Task WriteLineAsync<T>(HttpResponse response, T value, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, Options);
        await response.Body.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await response.Body.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The error line that ends a stream which already started (Ollama's shape: <c>{"error": "…"}</c>).</summary>
    public static Task WriteErrorLineAsync(HttpResponse response, string message) =>
        WriteLineAsync(response, new ErrorLine(message), CancellationToken.None);

    private sealed record ErrorLine(string Error);
}
