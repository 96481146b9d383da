using System.Net;
using Hearth.Server.Playground;

namespace Hearth.Server.Tests.Playground;

/// <summary>The playground's page and assets over HTTP: content types, the Content-Security-Policy, caching, probes.</summary>
public sealed class PlaygroundPageTests
{
    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/playground/playground.js", "text/javascript")]
    [InlineData("/playground/playground.css", "text/css")]
    public async Task AssetsAreServedWithTheirTypeAndAStrictPolicy(string path, string mediaType)
    {
        await using var server = await ServerFixture.StartAsync(o => o with { ApiKeys = new HashSet<string> { "sekret" } });
        var response = await server.Http.GetAsync(path); // no key: the page asks for one itself
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(PlaygroundEndpoints.ContentSecurityPolicy, policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task ThePageHasNoInlineScriptAndNoExternalResources()
    {
        await using var server = await ServerFixture.StartAsync();
        var html = await server.Http.GetStringAsync("/");
        Assert.Contains("<script src=\"/playground/playground.js\" defer></script>", html);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html); // no inline event handlers either
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
    }

    [Fact]
    public async Task AnUnchangedAssetAnswers304ToItsETag()
    {
        await using var server = await ServerFixture.StartAsync();
        var first = await server.Http.GetAsync("/playground/playground.js");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/playground/playground.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await server.Http.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task AnUnknownAssetIs404()
    {
        await using var server = await ServerFixture.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/playground/nope.js")).StatusCode);
    }
}
