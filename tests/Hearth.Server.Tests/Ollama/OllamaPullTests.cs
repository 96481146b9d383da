using System.Net;
using System.Text;
using System.Text.Json;
using Hearth.Models.Pull;
using Hearth.Models.Tests.Fakes;
using OllamaSharp;
using OllamaSharp.Models;

namespace Hearth.Server.Tests.Ollama;

/// <summary>/api/pull from a local server speaking the Hugging Face Hub protocol, through OllamaSharp.</summary>
public sealed class OllamaPullTests : IAsyncLifetime
{
    private readonly FakeHuggingFaceServer _hub = new();
    private static readonly byte[] Q8 = TestGguf.Bytes(seed: 2, license: "apache-2.0", elements: 64 * 1024);
    private ServerFixture _server = null!;
    private OllamaApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _hub.AddRepo("acme/tiny-GGUF",
            new FakeFile("tiny.Q4_0.gguf", TestGguf.Bytes(seed: 1, license: "apache-2.0")),
            new FakeFile("tiny.Q8_0.gguf", Q8));
        _hub.AddRepo("acme/broken-GGUF", new FakeFile("broken.Q4_0.gguf", TestGguf.Bytes(seed: 3), PublishedSha256: new string('0', 64)));
        _server = await ServerFixture.StartAsync(o => o with
        {
            HuggingFace = new HuggingFaceOptions { Endpoint = _hub.Endpoint, MaxRetries = 0, RetryDelay = TimeSpan.FromMilliseconds(10) },
        });
        _client = OllamaServer.NewClient(_server);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        await _hub.DisposeAsync();
    }

    [Fact]
    public async Task PullStreamsProgressThenSuccessAndTheModelIsListed()
    {
        var updates = await OllamaGenerationTests.ToListAsync(_client.PullModelAsync(new PullModelRequest { Model = "hf.co/acme/tiny-GGUF:Q8_0" }));
        Assert.Equal("pulling manifest", updates[0]!.Status);
        Assert.Contains(updates, u => u!.Status.StartsWith("pulling acme/tiny-GGUF", StringComparison.Ordinal) && u.Total == Q8.Length);
        Assert.Contains(updates, u => u!.Status == "verifying sha256 digest");
        Assert.Equal("success", updates[^1]!.Status);

        var listed = (await _client.ListLocalModelsAsync()).Select(m => m.Name).ToList();
        Assert.Contains("acme/tiny-gguf:q8_0", listed);
        var digest = (await _client.ListLocalModelsAsync()).Single(m => m.Name == "acme/tiny-gguf:q8_0").Digest;
        Assert.Equal(TestGguf.Sha256Hex(Q8), digest);
    }

    [Fact]
    public async Task PullWithStreamFalseAnswersOneObject()
    {
        var response = await _server.Http.PostAsync("/api/pull",
            new StringContent("""{"model":"hf:acme/tiny-GGUF/tiny.Q4_0.gguf","stream":false}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"success"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnUnknownRepoIs404BeforeAnyProgress()
    {
        var response = await _server.Http.PostAsync("/api/pull",
            new StringContent("""{"model":"hf.co/acme/missing-GGUF"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("acme/missing-GGUF", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AFailedDownloadEndsTheStreamWithAnErrorLineAndNothingLands()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            OllamaGenerationTests.ToListAsync(_client.PullModelAsync(new PullModelRequest { Model = "hf.co/acme/broken-GGUF:Q4_0" })));
        Assert.Contains("checksum", error.Message);
        Assert.DoesNotContain(await _client.ListLocalModelsAsync(), m => m.Name.Contains("broken", StringComparison.Ordinal));
        Assert.True(await _client.IsRunningAsync());
    }

    [Fact]
    public async Task AStoreNameCannotBePulled()
    {
        var response = await _server.Http.PostAsync("/api/pull", new StringContent("""{"name":"llama3.2"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("hf.co/OWNER/REPO", await response.Content.ReadAsStringAsync());
    }
}
