using Hearth.Models.Naming;

namespace Hearth.Models.Tests.Naming;

public sealed class ModelNameTests
{
    [Theory]
    [InlineData("llama3", null, "llama3", "latest")]
    [InlineData("Llama3.2:1B", null, "llama3.2", "1b")]
    [InlineData("owner/My-Model_v2:Q4_K_M", "owner", "my-model_v2", "q4_k_m")]
    [InlineData("a:b", null, "a", "b")]
    public void ParsesAndNormalisesToLowercase(string text, string? ns, string model, string tag)
    {
        var name = ModelName.Parse(text);

        Assert.Equal(ns, name.Namespace);
        Assert.Equal(model, name.Model);
        Assert.Equal(tag, name.Tag);
    }

    [Fact]
    public void NamesDifferingOnlyInCaseAreEqual() =>
        Assert.Equal(ModelName.Parse("TinyLlama:LATEST"), ModelName.Parse("tinyllama"));

    [Fact]
    public void ShortTextDropsTheDefaultTag()
    {
        Assert.Equal("phi3", ModelName.Parse("phi3:latest").ShortText);
        Assert.Equal("phi3:mini", ModelName.Parse("phi3:mini").ShortText);
        Assert.Equal("phi3:latest", ModelName.Parse("phi3").ToString());
    }

    [Theory]
    [InlineData("../etc/passwd", "has more than one '/'")]
    [InlineData("..", "starting with '.'")]
    [InlineData("a..b", "contains '..'")]
    [InlineData("/abs", "has an empty namespace")]
    [InlineData("ns/", "has an empty model")]
    [InlineData("x:", "has an empty tag")]
    [InlineData("x:..", "starting with '.'")]
    [InlineData("x:a/../../b", "contains '/'")]
    [InlineData("a\\b", "contains '\\'")]
    [InlineData("a\u0000b", "control character (U+0000)")]
    [InlineData("evil\nname", "control character (U+000A)")]
    [InlineData("con", "reserved device name 'con'")]
    [InlineData("ns/aux.model", "reserved device name 'aux'")]
    [InlineData("name.", "ending with '.'")]
    [InlineData("a<b", "contains '<'")]
    [InlineData("a|b", "contains '|'")]
    [InlineData("a*b", "contains '*'")]
    [InlineData("a b", "contains ' '")]
    [InlineData("a:b:c", "more than one ':'")]
    [InlineData("C:\\models", "contains '\\'")]
    [InlineData("-rf", "starting with '-'")]
    public void RejectsNamesThatCouldEscapeTheStore(string text, string reason)
    {
        var ex = Assert.Throws<InvalidModelNameException>(() => ModelName.Parse(text));

        Assert.Contains(reason, ex.Message);
        Assert.Contains("each part is 1-80 characters of a-z, 0-9", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(text, ex.Input);
    }

    [Fact]
    public void RejectsOverLongParts()
    {
        var ex = Assert.Throws<InvalidModelNameException>(() => ModelName.Parse(new string('a', 81)));
        Assert.Contains("model of 81 characters; the limit is 80", ex.Message);

        var whole = Assert.Throws<InvalidModelNameException>(() => ModelName.Parse(new string('a', 1000)));
        Assert.Contains("is 1000 characters long", whole.Message);
    }

    [Fact]
    public void RejectsAnEmptyName() =>
        Assert.Contains("model name is empty", Assert.Throws<InvalidModelNameException>(() => ModelName.Parse("")).Message);

    [Fact]
    public void QuotesTheInputInTheError() =>
        Assert.StartsWith("invalid model name 'bad name':", Assert.Throws<InvalidModelNameException>(() => ModelName.Parse("bad name")).Message);
}
