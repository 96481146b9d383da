using System.Net;
using System.Text;
using System.Text.Json;
using Hearth.Models.Paths;
using Hearth.Models.Pull;
using Hearth.Models.Tests.Fakes;

namespace Hearth.Server.Tests.Ollama;

/// <summary>
/// Store and pull failures reach the client as statuses that say whose fault they are, with the library's message:
/// a repo or quantization the Hub lacks is 404, the Hub failing is 502, a damaged store is 500 naming the file.
/// </summary>
public sealed class StoreAndPullErrorsTests
{
    private static async Task<(HttpStatusCode Status, string Error)> PostAsync(ServerFixture server, string path, string json)
    {
        using var response = await server.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        return (response.StatusCode, body.ValueKind == JsonValueKind.String ? body.GetString()! : body.GetRawText());
    }

    [Fact]
    public async Task AQuantizationTheRepoLacksIs404ListingWhatItHas()
    {
        await using var hub = new FakeHuggingFaceServer();
        hub.AddRepo("acme/tiny-GGUF", new FakeFile("tiny.Q4_0.gguf", TestGguf.Bytes(seed: 1)));
        await using var server = await ServerFixture.StartAsync(o => o with { HuggingFace = new HuggingFaceOptions { Endpoint = hub.Endpoint, MaxRetries = 0 } });

        var (status, error) = await PostAsync(server, "/api/pull", """{"model":"hf.co/acme/tiny-GGUF:Q5_K_M"}""");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("Q4_0", error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AHubThatCannotBeReachedIs502(bool stream)
    {
        // A port that was free a moment ago: nothing listens there.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var hub = new HuggingFaceOptions { Endpoint = new Uri($"http://127.0.0.1:{port}"), MaxRetries = 0, RetryDelay = TimeSpan.FromMilliseconds(10) };
        await using var server = await ServerFixture.StartAsync(o => o with { HuggingFace = hub });

        var (status, error) = await PostAsync(server, "/api/pull", $$"""{"model":"hf.co/acme/tiny-GGUF","stream":{{(stream ? "true" : "false")}}}""");
        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Contains($"127.0.0.1:{port}", error);
    }

    [Fact]
    public async Task ADamagedManifestIs500NamingTheFileOnBothSurfaces()
    {
        await using var server = await ServerFixture.StartAsync();
        var manifest = Directory.GetFiles(new HearthPaths(server.Home).ManifestsDirectory, "*.json", SearchOption.AllDirectories).Single();
        await File.WriteAllTextAsync(manifest, "{ not json");

        var (status, error) = await PostAsync(server, "/api/show", """{"model":"tiny"}""");
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.DoesNotContain("internal error", error);
        Assert.Contains("not valid JSON", error);

        (status, error) = await PostAsync(server, "/v1/chat/completions", """{"model":"tiny","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        var openAi = JsonDocument.Parse(error).RootElement;
        Assert.Equal("store_error", openAi.GetProperty("code").GetString());
        Assert.Contains("not valid JSON", openAi.GetProperty("message").GetString());
    }
}
