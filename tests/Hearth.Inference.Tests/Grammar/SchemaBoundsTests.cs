using System.Text.Json;
using Hearth.Inference.Grammar;
using Hearth.Inference.Sampling;
using Hearth.Inference.Tools;

namespace Hearth.Inference.Tests.Grammar;

/// <summary>
/// Count keywords (minItems, maxItems, minLength, maxLength) against llama.cpp's repetition limit: up to the limit the
/// grammar parses and counts exactly, beyond it the schema is refused naming the keyword, its path and the limit.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class SchemaBoundsTests(ModelFiles files)
{
    private static string Gbnf(string schema) => JsonSchemaGrammar.FromSchema(JsonDocument.Parse(schema).RootElement);

    // llama.cpp's own parser is the judge of "parses" (GrammarStage.Check through Validate).
    private static void AssertParses(string gbnf) => (SamplingOptions.Greedy with { Grammar = gbnf }).Validate();

    [Theory]
    [InlineData("""{"type":"array","items":{"type":"integer"},"minItems":4000}""", "minItems", "#", 4000, 2000)]
    [InlineData("""{"type":"array","items":{"type":"integer"},"minItems":2001,"maxItems":2001}""", "minItems", "#", 2001, 2000)]
    [InlineData("""{"type":"array","items":{"type":"integer"},"maxItems":2001}""", "maxItems", "#", 2001, 2000)]
    [InlineData("""{"type":"object","properties":{"tags":{"type":"array","minItems":1,"maxItems":100000}}}""", "maxItems", "#/properties/tags", 100000, 2000)]
    [InlineData("""{"type":"array","prefixItems":[{"type":"string"},{"type":"string"}],"items":{"type":"integer"},"maxItems":2002}""", "maxItems", "#", 2002, 2001)]
    [InlineData("""{"type":"string","minLength":2000}""", "minLength", "#", 2000, 1999)]
    [InlineData("""{"type":"string","maxLength":5000}""", "maxLength", "#", 5000, 1999)]
    [InlineData("""{"type":"array","items":{"type":"string","maxLength":2000}}""", "maxLength", "#/items", 2000, 1999)]
    [InlineData("""{"$defs":{"name":{"type":"string","minLength":1,"maxLength":3000}},"type":"object","properties":{"n":{"$ref":"#/$defs/name"}}}""", "maxLength", "#/$defs/name", 3000, 1999)]
    public void BoundsAboveTheLimitAreRefusedNamingKeywordPathAndLimit(string schema, string keyword, string path, int value, int limit)
    {
        var ex = Assert.Throws<UnsupportedSchemaException>(() => Gbnf(schema));
        Assert.Equal(keyword, ex.Keyword);
        Assert.Equal(path, ex.SchemaPath);
        Assert.Contains($"{keyword} {value} at '{path}' is above the {limit} hearth can enforce", ex.Message);
        Assert.Contains("llama.cpp", ex.Message);
    }

    [Theory]
    [InlineData("""{"type":"array","items":{"type":"integer"},"minItems":2000}""")]
    [InlineData("""{"type":"array","items":{"type":"integer"},"maxItems":2000}""")]
    [InlineData("""{"type":"array","items":{"type":"integer"},"minItems":1999,"maxItems":2000}""")]
    [InlineData("""{"type":"array","items":{"enum":["a","b","c"]},"maxItems":2000}""")]
    [InlineData("""{"type":"array","items":{"anyOf":[{"type":"integer"},{"type":"string"}],"nullable":true},"minItems":1,"maxItems":2000}""")]
    [InlineData("""{"type":"array","prefixItems":[{"type":"string"},{"type":"boolean"}],"items":{"const":1},"maxItems":2001}""")]
    [InlineData("""{"type":"string","minLength":1999}""")]
    [InlineData("""{"type":"string","minLength":10,"maxLength":1999}""")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","maxLength":1999},"b":{"type":"array","items":{"type":"string","maxLength":1999},"maxItems":2000}}}""")]
    public void BoundsAtTheLimitMakeGrammarsLlamaCppAccepts(string schema) => AssertParses(Gbnf(schema));

    // The rule count hearth assumes is llama.cpp's: (item){0,n} parses exactly when (1 + rules item generates) × n < 2000.
    [Theory]
    [InlineData("\"a\"", 0)]
    [InlineData("\"a\" (\"b\")?", 2)]
    [InlineData("[a-z] (\"b\"){0,9}", 10)]
    [InlineData("(\"x\" | \"y\")+ \"{\" [}(]{2}", 2)]
    [InlineData("(\"x\"){3,}", 2)]
    public void RepetitionCostMatchesWhatLlamaCppRefuses(string item, long generated)
    {
        Assert.Equal(generated, GbnfRules.RulesGeneratedBy(item));
        var largest = (GbnfRules.RepetitionThreshold - 1) / (1 + generated);
        AssertParses($"root ::= ({item}){{0,{largest}}}\n");
        Assert.Throws<InvalidSamplingOptionException>(() => AssertParses($"root ::= ({item}){{0,{largest + 1}}}\n"));
    }

    [Fact]
    public void CountsAtTheLimitAreEnforcedExactly()
    {
        using var decoding = new ConstrainedDecoding(files.Tiny, 512);
        var text = Gbnf("""{"type":"string","maxLength":1999}""");
        Assert.True(GrammarMatcher.Accepts(decoding.Model, text, "\"" + new string('a', 1999) + "\""));
        Assert.False(GrammarMatcher.Accepts(decoding.Model, text, "\"" + new string('a', 2000) + "\""));

        var items = Gbnf("""{"type":"array","items":{"enum":[0,1]},"minItems":2000}""");
        Assert.True(GrammarMatcher.Accepts(decoding.Model, items, "[" + string.Join(",", Enumerable.Repeat("1", 2000)) + "]"));
        Assert.True(GrammarMatcher.Accepts(decoding.Model, items, "[" + string.Join(",", Enumerable.Repeat("0", 2400)) + "]"));
        Assert.False(GrammarMatcher.Accepts(decoding.Model, items, "[" + string.Join(",", Enumerable.Repeat("1", 1999)) + "]"));

        var optional = Gbnf("""{"type":"array","items":{"type":"boolean"},"maxItems":2000}""");
        Assert.True(GrammarMatcher.Accepts(decoding.Model, optional, "[]"));
        Assert.True(GrammarMatcher.Accepts(decoding.Model, optional, "[" + string.Join(",", Enumerable.Repeat("true", 2000)) + "]"));
        Assert.False(GrammarMatcher.Accepts(decoding.Model, optional, "[" + string.Join(",", Enumerable.Repeat("true", 2001)) + "]"));
    }

    [Fact]
    public void ToolParameterBoundsAboveTheLimitNameTheToolKeywordAndLimit()
    {
        var tool = new ToolDefinition("note", null,
            JsonDocument.Parse("""{"type":"object","properties":{"text":{"type":"string","maxLength":5000}},"required":["text"]}""").RootElement);
        var ex = Assert.Throws<UnsupportedSchemaException>(() => ToolPrompting.Grammar([tool], ToolChoice.Required));
        Assert.Equal("maxLength", ex.Keyword);
        Assert.Equal("#/properties/text", ex.SchemaPath);
        Assert.Contains("maxLength 5000 at '#/properties/text' is above the 1999 hearth can enforce", ex.Message);
        Assert.Contains("tool 'note'", ex.Message);
    }
}
