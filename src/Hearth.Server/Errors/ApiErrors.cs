using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Errors;

/// <summary>
/// Writes errors in the shape of the surface that was called: OpenAI's <c>{"error": {"message", "type", "param",
/// "code"}}</c> under <c>/v1</c>, Ollama's <c>{"error": "…"}</c> everywhere else. Messages are lowercase and quote
/// the user's input (Ollama's style).
/// </summary>
public static class ApiErrors
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static bool IsOpenAi(HttpContext context) => context.Request.Path.StartsWithSegments("/v1");

    public static async Task WriteAsync(HttpContext context, int status, string message, string? type = null, string? param = null,
        string? code = null, TimeSpan? retryAfter = null)
    {
        if (context.Response.HasStarted)
            return;
        context.Response.StatusCode = status;
        if (retryAfter is { } wait)
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/json";
        object body = IsOpenAi(context)
            ? new { error = new { message, type = type ?? DefaultType(status), param, code } }
            : new { error = message };
        await context.Response.WriteAsync(JsonSerializer.Serialize(body, Json), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>OpenAI's error types by status.</summary>
    public static string DefaultType(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "invalid_request_error",
        429 => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };
}
