using System.ClientModel;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Hearth.Server.Tests.OpenAi;

/// <summary>/v1/embeddings through the OpenAI SDK (which asks for base64) and raw HTTP (floats, token ids, errors).</summary>
public sealed class EmbeddingsEndpointTests(OpenAiServer server) : IClassFixture<OpenAiServer>
{
    [Fact]
    public async Task SdkGetsOneUnitVectorPerInputInOrder()
    {
        var result = (await server.Embeddings().GenerateEmbeddingsAsync(["alpha", "beta", "alpha"])).Value;
        Assert.Equal(3, result.Count);
        Assert.Equal([0, 1, 2], result.Select(e => e.Index));
        var vectors = result.Select(e => e.ToFloats().ToArray()).ToArray();
        Assert.All(vectors, v => Assert.Equal(64, v.Length));
        Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 4));
        Assert.Equal(vectors[0], vectors[2]);
        Assert.NotEqual(vectors[0], vectors[1]);
        Assert.True(result.Usage.InputTokenCount > 0);
    }

    [Fact]
    public async Task FloatAndBase64EncodingsCarryTheSameVector()
    {
        var floats = await server.PostAsync("/v1/embeddings", """{"model":"tiny","input":"same text","encoding_format":"float"}""");
        var base64 = await server.PostAsync("/v1/embeddings", """{"model":"tiny","input":"same text","encoding_format":"base64"}""");
        Assert.Equal(200, floats.Status);
        Assert.Equal(200, base64.Status);
        using var f = JsonDocument.Parse(floats.Body);
        using var b = JsonDocument.Parse(base64.Body);
        Assert.Equal("list", f.RootElement.GetProperty("object").GetString());
        Assert.Equal("tiny:latest", f.RootElement.GetProperty("model").GetString());
        var item = f.RootElement.GetProperty("data")[0];
        Assert.Equal("embedding", item.GetProperty("object").GetString());
        var fromFloats = item.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var bytes = Convert.FromBase64String(b.RootElement.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        Assert.Equal(fromFloats, MemoryMarshal.Cast<byte, float>(bytes).ToArray());
        var usage = f.RootElement.GetProperty("usage");
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task TokenIdInputsAreEmbedded()
    {
        var one = await server.PostAsync("/v1/embeddings", """{"model":"tiny","input":[1, 40, 41, 42],"encoding_format":"float"}""");
        var many = await server.PostAsync("/v1/embeddings", """{"model":"tiny","input":[[1, 40, 41, 42],[1, 50]],"encoding_format":"float"}""");
        Assert.Equal(200, one.Status);
        Assert.Equal(200, many.Status);
        using var m = JsonDocument.Parse(many.Body);
        Assert.Equal(2, m.RootElement.GetProperty("data").GetArrayLength());
        Assert.Equal(6, m.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        using var o = JsonDocument.Parse(one.Body);
        Assert.Equal(o.RootElement.GetProperty("data")[0].GetProperty("embedding").GetRawText(),
            m.RootElement.GetProperty("data")[0].GetProperty("embedding").GetRawText());
    }

    [Fact]
    public async Task AnInputLongerThanTheContextIsA400WithBothLengths()
    {
        var longText = OpenAiServer.TooLong("embedding");
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => server.Embeddings().GenerateEmbeddingsAsync(["fine", longText]));
        Assert.Equal(400, ex.Status);
        Assert.Matches(@"input\[1\] is \d+ tokens but the context is \d+ tokens", ex.Message);
    }

    [Theory]
    [InlineData("""{"model":"tiny"}""", "'input' is required")]
    [InlineData("""{"model":"tiny","input":[]}""", "'input' must not be an empty array")]
    [InlineData("""{"model":"tiny","input":["ok", 5]}""", "'input[1]' must be a string, got a number (5)")]
    [InlineData("""{"model":"tiny","input":"x","encoding_format":"int8"}""", "'encoding_format' must be one of 'float', 'base64', got 'int8'")]
    [InlineData("""{"model":"tiny","input":"x","dimensions":32}""", "'dimensions' must be the model's embedding length 64")]
    [InlineData("""{"model":"tiny","input":[1, 99999]}""", "token 99999 at input[0][1] is outside the vocabulary")]
    [InlineData("""{"model":"tiny","input":""}""", "input[0] is empty")]
    public async Task BadInputIsA400NamingTheField(string body, string message)
    {
        var (status, text) = await server.PostAsync("/v1/embeddings", body);
        Assert.Equal(400, status);
        Assert.Contains(message, OpenAiServer.Error(text).GetProperty("message").GetString());
    }
}
