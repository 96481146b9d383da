using System.Text;
using System.Text.Json;
using Hearth.Models.Naming;
using Hearth.Models.Store;

namespace Hearth.Models.Tests.Store;

public sealed class ManifestJsonTests
{
    private static readonly string DigestA = "sha256:" + new string('a', 64);
    private static readonly string DigestB = "sha256:" + new string('b', 64);

    private static ModelManifest Full() => new()
    {
        Name = ModelName.Parse("team/bot:v2"),
        Model = new BlobReference(DigestA, 1234),
        Adapters = [new AdapterReference(DigestB, 56, 0.75f)],
        Parameters = new Dictionary<string, JsonElement>
        {
            ["temperature"] = JsonSerializer.SerializeToElement(0.2),
            ["stop"] = JsonSerializer.SerializeToElement(new[] { "<|im_end|>" }),
        },
        Template = "{{ messages }}",
        System = "be brief",
        License = "mit",
        Source = "hf:o/r/f.gguf@main",
        CreatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
    };

    [Fact]
    public void RoundTripsEveryField()
    {
        var back = ManifestJson.Deserialize(ManifestJson.Serialize(Full()), "test");
        var original = Full();

        Assert.Equal(original.Name, back.Name);
        Assert.Equal(original.Model, back.Model);
        Assert.Equal(original.Adapters, back.Adapters);
        Assert.Equal(0.2, back.Parameters["temperature"].GetDouble());
        Assert.Equal("<|im_end|>", back.Parameters["stop"][0].GetString());
        Assert.Equal((original.Template, original.System, original.License, original.Source, original.CreatedAt),
            (back.Template, back.System, back.License, back.Source, back.CreatedAt));
    }

    [Fact]
    public void WritesTheDocumentedShape()
    {
        using var doc = JsonDocument.Parse(ManifestJson.Serialize(Full()));
        var root = doc.RootElement;

        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("team/bot", root.GetProperty("name").GetString());
        Assert.Equal("v2", root.GetProperty("tag").GetString());
        Assert.Equal(DigestA, root.GetProperty("model").GetProperty("digest").GetString());
        Assert.Equal(MediaTypes.Model, root.GetProperty("model").GetProperty("mediaType").GetString());
        Assert.Equal(0.75, root.GetProperty("adapters")[0].GetProperty("scale").GetDouble());
        Assert.Equal("2025-01-02T03:04:05.0000000+00:00", root.GetProperty("createdAt").GetString());
    }

    [Fact]
    public void RefusesAnUnknownSchemaVersion()
    {
        var json = Encoding.UTF8.GetString(ManifestJson.Serialize(Full())).Replace("\"schemaVersion\": 1", "\"schemaVersion\": 2");

        var ex = Assert.Throws<ManifestFormatException>(() => ManifestJson.Deserialize(Encoding.UTF8.GetBytes(json), "/store/m.json"));

        Assert.Equal("schemaVersion", ex.Field);
        Assert.Contains("is 2, but this version of Hearth reads only schema version 1", ex.Message);
        Assert.Contains("/store/m.json", ex.Message);
    }

    [Theory]
    [InlineData("""{"name":"a","tag":"b","model":{"digest":"sha256:x","size":1},"createdAt":"2025-01-01T00:00:00Z"}""", "schemaVersion", "missing")]
    [InlineData("""{"schemaVersion":1,"tag":"b","model":{"digest":"sha256:x","size":1},"createdAt":"2025-01-01T00:00:00Z"}""", "name", "missing")]
    [InlineData("""{"schemaVersion":1,"name":"a","tag":"b","createdAt":"2025-01-01T00:00:00Z"}""", "model", "missing")]
    [InlineData("""{"schemaVersion":1,"name":"a","tag":"b","model":{"digest":"sha256:x","size":1},"createdAt":"2025-01-01T00:00:00Z"}""", "model.digest", "is not of the form")]
    [InlineData("""{"schemaVersion":1,"name":"a","tag":"b","model":{"digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":-1},"createdAt":"2025-01-01T00:00:00Z"}""", "model.size", "non-negative")]
    [InlineData("""{"schemaVersion":1,"name":"../x","tag":"b","model":{"digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":1},"createdAt":"2025-01-01T00:00:00Z"}""", "name", "invalid model name")]
    [InlineData("""{"schemaVersion":1,"name":"a","tag":"b","model":{"digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":1},"createdAt":"yesterday"}""", "createdAt", "not an ISO 8601 time")]
    [InlineData("[1,2]", "$", "expected a JSON object")]
    [InlineData("{ nope", "line 1", "not valid JSON")]
    public void NamesTheFieldAtFault(string json, string field, string reason)
    {
        var ex = Assert.Throws<ManifestFormatException>(() => ManifestJson.Deserialize(Encoding.UTF8.GetBytes(json), "m.json"));

        Assert.Equal(field, ex.Field);
        Assert.Contains(reason, ex.Reason);
    }
}
