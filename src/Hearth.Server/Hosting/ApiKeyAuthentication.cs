using System.Security.Cryptography;
using System.Text;
using Hearth.Server.Errors;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Hosting;

/// <summary>
/// When API keys are configured, every request except <c>/health</c> and the playground's static files must carry one
/// as <c>Authorization: Bearer KEY</c> (what the OpenAI and Ollama clients send) or <c>x-api-key: KEY</c>.
/// Keys are compared in constant time.
/// </summary>
public sealed class ApiKeyAuthentication(RequestDelegate next, HearthServerOptions options)
{
    private readonly byte[][] _keys = options.ApiKeys.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k))).ToArray();

    public async Task InvokeAsync(HttpContext context)
    {
        if (_keys.Length == 0 || IsPublic(context.Request.Path))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var presented = Presented(context.Request);
        if (presented is null)
        {
            await ApiErrors.WriteAsync(context, 401, "missing API key: send 'Authorization: Bearer KEY'", code: "missing_api_key").ConfigureAwait(false);
            return;
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var ok = false;
        foreach (var key in _keys)
            ok |= CryptographicOperations.FixedTimeEquals(hash, key);
        if (!ok)
        {
            await ApiErrors.WriteAsync(context, 401, "invalid API key", code: "invalid_api_key").ConfigureAwait(false);
            return;
        }
        await next(context).ConfigureAwait(false);
    }

    /// <summary>Liveness and the playground's page and assets: the page itself asks for a key before calling the API.</summary>
    private static bool IsPublic(PathString path) =>
        path == "/health" || path == "/" || path.StartsWithSegments("/playground");

    private static string? Presented(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return header["Bearer ".Length..].Trim();
        var apiKey = request.Headers["x-api-key"].ToString();
        return apiKey.Length > 0 ? apiKey : null;
    }
}
