using System.Net;
using System.Text;
using System.Text.Json;
using OllamaSharp.Models;

namespace Hearth.Server.Tests.Ollama;

/// <summary>/api/tags, /api/show, /api/ps, /api/version and the root probe, through OllamaSharp where it has a call for them.</summary>
public sealed class OllamaModelsEndpointsTests(OllamaServer fixture) : IClassFixture<OllamaServer>
{
    [Fact]
    public async Task TagsListTheStoreModelsWithDetails()
    {
        var models = (await fixture.Client.ListLocalModelsAsync()).ToList();
        var tiny = Assert.Single(models);
        Assert.Equal("tiny:latest", tiny.Name);
        Assert.True(tiny.Size > 0);
        Assert.Matches("^[0-9a-f]{64}$", tiny.Digest);
        Assert.Equal("gguf", tiny.Details.Format);
        Assert.Equal("llama", tiny.Details.Family);
        Assert.False(string.IsNullOrEmpty(tiny.Details.ParameterSize));
        Assert.False(string.IsNullOrEmpty(tiny.Details.QuantizationLevel));
        Assert.True(tiny.ModifiedAt > DateTime.UtcNow.AddHours(-1));
    }

    [Fact]
    public async Task ShowGivesDetailsTemplateAndGgufMetadata()
    {
        var show = await fixture.Client.ShowModelAsync(new ShowModelRequest { Model = "tiny" });
        Assert.Equal("llama", show.Details.Family);
        Assert.Contains("im_start", show.Template);
        Assert.Equal("llama", show.Info.Architecture);
        Assert.True(show.Info.ParameterCount > 0);
        Assert.Contains("FROM ", show.Modelfile);

        // Without verbose, large arrays (the vocabulary) are null, as Ollama sends them.
        var raw = await PostJsonAsync("/api/show", """{"model":"tiny"}""");
        var info = raw.GetProperty("model_info");
        Assert.Equal(JsonValueKind.Null, info.GetProperty("tokenizer.ggml.tokens").ValueKind);
        Assert.True(info.GetProperty("llama.context_length").GetInt64() > 0);
        var verbose = await PostJsonAsync("/api/show", """{"name":"tiny","verbose":true}""");
        Assert.True(verbose.GetProperty("model_info").GetProperty("tokenizer.ggml.tokens").GetArrayLength() > 100);
    }

    [Fact]
    public async Task PsListsAModelAfterItServedARequestAndAnEmptyGenerateWithKeepAliveZeroUnloadsIt()
    {
        var load = await PostJsonAsync("/api/generate", """{"model":"tiny"}""");
        Assert.Equal("load", load.GetProperty("done_reason").GetString());
        var running = Assert.Single(await fixture.Client.ListRunningModelsAsync());
        Assert.Equal("tiny:latest", running.Name);
        Assert.True(running.Size > 0);
        Assert.Equal(0, running.SizeVram);
        Assert.True(running.ExpiresAt > DateTime.UtcNow);

        var unload = await PostJsonAsync("/api/generate", """{"model":"tiny","keep_alive":0}""");
        Assert.Equal("unload", unload.GetProperty("done_reason").GetString());
        Assert.True(unload.GetProperty("done").GetBoolean());
        Assert.Empty(await fixture.Client.ListRunningModelsAsync());
    }

    [Fact]
    public async Task PsReportsTheContextLengthTheModelWasLoadedWith()
    {
        await PostJsonAsync("/api/generate", """{"model":"tiny"}""");
        var response = await fixture.Server.Http.GetAsync("/api/ps");
        var running = Assert.Single(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("models").EnumerateArray());
        Assert.Equal("tiny:latest", running.GetProperty("name").GetString());
        Assert.Equal(512, running.GetProperty("context_length").GetInt32()); // ServerFixture's context size
    }

    [Fact]
    public async Task VersionIsHearthsAssemblyVersion()
    {
        var version = await fixture.Client.GetVersionAsync();
        Assert.Matches(@"^\d+\.\d+\.\d+", version);
        var head = await fixture.Server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/version"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task TheRootAnswersProbesThatTheServerRuns()
    {
        Assert.True(await fixture.Client.IsRunningAsync());
        var head = await fixture.Server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    private async Task<JsonElement> PostJsonAsync(string path, string json)
    {
        var response = await fixture.Server.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
