using System.Net;
using System.Text;
using OllamaSharp.Models;

namespace Hearth.Server.Tests.Ollama;

/// <summary>/api/copy and /api/delete through OllamaSharp (each test has its own server: they change the store).</summary>
public sealed class OllamaStoreEditsTests
{
    [Fact]
    public async Task CopyMakesASecondNameAndDeleteRemovesIt()
    {
        await using var server = await ServerFixture.StartAsync();
        using var client = OllamaServer.NewClient(server);
        await client.CopyModelAsync(new CopyModelRequest { Source = "tiny", Destination = "tiny-copy:v1" });
        var names = (await client.ListLocalModelsAsync()).Select(m => m.Name).ToList();
        Assert.Equal(["tiny-copy:v1", "tiny:latest"], names.Order());

        await client.DeleteModelAsync(new DeleteModelRequest { Model = "tiny-copy:v1" });
        Assert.Equal(["tiny:latest"], (await client.ListLocalModelsAsync()).Select(m => m.Name));
    }

    [Fact]
    public async Task DeletingALoadedModelUnloadsIt()
    {
        await using var server = await ServerFixture.StartAsync();
        using var client = OllamaServer.NewClient(server);
        await server.Http.PostAsync("/api/generate", new StringContent("""{"model":"tiny"}""", Encoding.UTF8, "application/json"));
        Assert.Single(await client.ListRunningModelsAsync());
        await client.DeleteModelAsync(new DeleteModelRequest { Model = "tiny" });
        Assert.Empty(await client.ListRunningModelsAsync());
        Assert.Empty(await client.ListLocalModelsAsync());
    }

    [Fact]
    public async Task CopyingOrDeletingAnUnknownModelIs404()
    {
        await using var server = await ServerFixture.StartAsync();
        var copy = await server.Http.PostAsync("/api/copy", new StringContent("""{"source":"nope","destination":"x"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, copy.StatusCode);
        Assert.Equal("""{"error":"model 'nope' not found"}""", await copy.Content.ReadAsStringAsync());
        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/delete") { Content = new StringContent("""{"model":"nope"}""", Encoding.UTF8, "application/json") };
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.SendAsync(delete)).StatusCode);
    }
}
