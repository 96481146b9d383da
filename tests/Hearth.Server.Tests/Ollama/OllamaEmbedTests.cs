using System.Net;
using System.Text;
using System.Text.Json;
using OllamaSharp.Models;

namespace Hearth.Server.Tests.Ollama;

/// <summary>/api/embed (and the older /api/embeddings) through OllamaSharp.</summary>
public sealed class OllamaEmbedTests(OllamaServer fixture) : IClassFixture<OllamaServer>
{
    [Fact]
    public async Task EmbedGivesOneUnitVectorPerInput()
    {
        var response = await fixture.Client.EmbedAsync(new EmbedRequest { Model = "tiny", Input = ["a red apple", "a blue sky", "a red apple"] });
        Assert.Equal(3, response.Embeddings.Count);
        Assert.All(response.Embeddings, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 3));
        Assert.Equal(response.Embeddings[0], response.Embeddings[2]);
        Assert.NotEqual(response.Embeddings[0], response.Embeddings[1]);
        Assert.True(response.PromptEvalCount > 6);
    }

    [Fact]
    public async Task DimensionsShortensTheVectorsAndNormalisesThemAgain()
    {
        var response = await fixture.Client.EmbedAsync(new EmbedRequest { Model = "tiny", Input = ["hello"], Dimensions = 8 });
        var vector = Assert.Single(response.Embeddings);
        Assert.Equal(8, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(x => (double)x * x)), 3);
    }

    [Fact]
    public async Task ATooLongInputIs400WithBothLengthsUnlessTruncateIsTrue()
    {
        var input = string.Join(' ', Enumerable.Repeat("overflowing words", 400));
        var body = JsonSerializer.Serialize(new { model = "tiny", input });
        var response = await fixture.Server.Http.PostAsync("/api/embed", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches(@"input\[0\] is \d+ tokens but the context is \d+ tokens", await response.Content.ReadAsStringAsync());

        var truncated = await fixture.Client.EmbedAsync(new EmbedRequest { Model = "tiny", Input = [input], Truncate = true });
        Assert.Single(truncated.Embeddings);
    }

    [Fact]
    public async Task TheOlderEmbeddingsEndpointGivesOneVector()
    {
        var response = await fixture.Server.Http.PostAsync("/api/embeddings",
            new StringContent("""{"model":"tiny","prompt":"hello"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var embedding = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("embedding");
        Assert.True(embedding.GetArrayLength() > 0);
    }
}
