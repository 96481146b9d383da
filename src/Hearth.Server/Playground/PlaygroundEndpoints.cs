using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hearth.Server.Playground;

/// <summary>
/// The web playground: <c>GET /</c> (also <c>HEAD /</c>, which clients use to check that a server runs) and its two
/// assets under <c>/playground/</c>, served from resources embedded in this assembly so the page works offline and
/// needs no files beside the binary. A strict Content-Security-Policy allows only this origin's script, styles and API.
/// </summary>
internal static class PlaygroundEndpoints
{
    /// <summary>Only same-origin script, styles and fetches; no inline code, no frames, no forms posting elsewhere.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void Map(WebApplication app)
    {
        var assets = PlaygroundAssets.Load();
        app.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], (HttpContext context) => Serve(context, assets["index.html"]));
        app.MapGet("/playground/{file}", (HttpContext context, string file) =>
            assets.TryGetValue(file, out var asset) && file != "index.html"
                ? Serve(context, asset)
                : Results.NotFound());
    }

    private static IResult Serve(HttpContext context, PlaygroundAsset asset)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache"; // revalidate by ETag: a new Hearth build serves its new page at once
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
            return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(asset.Content, asset.ContentType);
    }
}
