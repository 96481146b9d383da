using System.Text.Json;
using Hearth.Inference.Grammar;
using Hearth.Inference.Sampling;

namespace Hearth.Inference.Tests.Grammar;

[Collection(ModelCollection.Name)]
public sealed class JsonSchemaGrammarTests(ModelFiles files)
{
    private static string Gbnf(string schema) => JsonSchemaGrammar.FromSchema(JsonDocument.Parse(schema).RootElement);

    [Fact]
    public void IntegerRangesAcceptExactlyTheIntegersInRange()
    {
        using var decoding = new ConstrainedDecoding(files.Tiny, 512);
        var model = decoding.Model;
        foreach (var (min, max) in new (long?, long?)[] { (0, 100), (-37, 42), (15, 1234), (-1000, -5), (7, null), (null, -3), (99, 101) })
        {
            var schema = $$"""{"type":"integer"{{(min is null ? "" : $",\"minimum\":{min}")}}{{(max is null ? "" : $",\"maximum\":{max}")}}}""";
            var gbnf = Gbnf(schema);
            for (var n = -1100; n <= 1300; n += n is > -120 and < 120 ? 1 : 7)
                Assert.True(GrammarMatcher.Accepts(model, gbnf, n.ToString()) == (n >= (min ?? long.MinValue) && n <= (max ?? long.MaxValue)),
                    $"{schema}: {n}\n{gbnf}");
            Assert.False(GrammarMatcher.Accepts(model, gbnf, "007"));
            Assert.False(GrammarMatcher.Accepts(model, gbnf, "-0"));
        }
    }

    [Fact]
    public void NumberBoundsHoldForDecimalsAndSigns()
    {
        using var decoding = new ConstrainedDecoding(files.Tiny, 512);
        var gbnf = Gbnf("""{"type":"number","minimum":-2.5,"exclusiveMaximum":3}""");
        foreach (var (text, ok) in new[] { ("-2", true), ("-1.99", true), ("0.5", true), ("2.999", true), ("2", true), ("3", false),
                     ("3.0", false), ("-2.6", false), ("-3", false), ("-2.5", false), ("1e2", false), ("-0.25", true) })
            Assert.True(GrammarMatcher.Accepts(decoding.Model, gbnf, text) == ok, $"{text} should be {(ok ? "accepted" : "refused")}");
    }

    [Fact]
    public void ObjectsKeepDeclaredOrderAllowOmittingOptionalsAndRefuseUndeclaredKeys()
    {
        using var decoding = new ConstrainedDecoding(files.Tiny, 512);
        var closed = Gbnf("""{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"string","maxLength":3},"c":{"type":"boolean"}},"required":["b"],"additionalProperties":false}""");
        Assert.True(GrammarMatcher.Accepts(decoding.Model, closed, """{"b":"x"}"""));
        Assert.True(GrammarMatcher.Accepts(decoding.Model, closed, """{"a": 1, "b": "xyz", "c": true}"""));
        Assert.True(GrammarMatcher.Accepts(decoding.Model, closed, """{"b":"", "c":false}"""));
        Assert.False(GrammarMatcher.Accepts(decoding.Model, closed, """{"a":1}"""));
        Assert.False(GrammarMatcher.Accepts(decoding.Model, closed, """{"b":"wxyz"}"""));
        Assert.False(GrammarMatcher.Accepts(decoding.Model, closed, """{"b":"x","d":1}"""));
        Assert.False(GrammarMatcher.Accepts(decoding.Model, closed, """{,"b":"x"}"""));

        var open = Gbnf("""{"type":"object","properties":{"a":{"type":"integer"}},"additionalProperties":{"type":"boolean"}}""");
        Assert.True(GrammarMatcher.Accepts(decoding.Model, open, """{"a":1,"ab":true,"b":false}"""));
        Assert.True(GrammarMatcher.Accepts(decoding.Model, open, """{"zz":true}"""));
        Assert.False(GrammarMatcher.Accepts(decoding.Model, open, """{"a":1,"a":true}"""));
        Assert.False(GrammarMatcher.Accepts(decoding.Model, open, """{"b":1}"""));
    }

    [Fact]
    public void RecursiveReferencesTypeListsEnumsAndFormats()
    {
        using var decoding = new ConstrainedDecoding(files.Tiny, 512);
        var tree = Gbnf("""{"$ref":"#/definitions/node","definitions":{"node":{"type":"object","properties":{"v":{"enum":["x",1,null]},"kids":{"type":"array","items":{"$ref":"#/definitions/node"},"maxItems":2}},"required":["v"],"additionalProperties":false}}}""");
        Assert.True(GrammarMatcher.Accepts(decoding.Model, tree, """{"v":"x","kids":[{"v":1},{"v":null,"kids":[{"v":"x"}]}]}"""));
        Assert.False(GrammarMatcher.Accepts(decoding.Model, tree, """{"v":"y"}"""));
        Assert.False(GrammarMatcher.Accepts(decoding.Model, tree, """{"v":1,"kids":[{"v":1},{"v":1},{"v":1}]}"""));

        var union = Gbnf("""{"type":["string","null"],"maxLength":2}""");
        Assert.True(GrammarMatcher.Accepts(decoding.Model, union, "null"));
        Assert.True(GrammarMatcher.Accepts(decoding.Model, union, "\"ab\""));
        Assert.False(GrammarMatcher.Accepts(decoding.Model, union, "\"abc\""));

        var date = Gbnf("""{"type":"string","format":"date-time"}""");
        Assert.True(GrammarMatcher.Accepts(decoding.Model, date, "\"2024-02-28T23:59:59.123Z\""));
        Assert.False(GrammarMatcher.Accepts(decoding.Model, date, "\"2024-02-30T10:00:00Z\""));
        Assert.False(GrammarMatcher.Accepts(decoding.Model, date, "\"2024-13-01T10:00:00Z\""));
    }
}

public sealed class JsonSchemaKeywordTests
{
    [Theory]
    [InlineData("""{"type":"object","properties":{"tags":{"type":"object","patternProperties":{"^x":{}}}}}""", "patternProperties", "#/properties/tags")]
    [InlineData("""{"type":"string","pattern":"^a+$"}""", "pattern", "#")]
    [InlineData("""{"not":{"type":"string"}}""", "not", "#")]
    [InlineData("""{"if":{"type":"string"},"then":{"maxLength":3}}""", "if", "#")]
    [InlineData("""{"type":"array","items":{"type":"integer"},"uniqueItems":true}""", "uniqueItems", "#")]
    [InlineData("""{"$ref":"https://example.com/schema.json"}""", "$ref", "#")]
    [InlineData("""{"type":"object","dependentSchemas":{"a":{}}}""", "dependentSchemas", "#")]
    [InlineData("""{"type":"string","format":"hostname"}""", "format", "#")]
    public void UnsupportedKeywordsAreRefusedNamingKeywordAndPath(string schema, string keyword, string path)
    {
        var ex = Assert.Throws<UnsupportedSchemaException>(() => JsonSchemaGrammar.FromSchema(JsonDocument.Parse(schema).RootElement));
        Assert.Equal(keyword, ex.Keyword);
        Assert.Equal(path, ex.SchemaPath);
        Assert.Contains($"unsupported JSON schema keyword '{keyword}' at '{path}'", ex.Message);
    }

    [Fact]
    public void AnnotationsAreIgnoredAndTheGrammarParses()
    {
        var gbnf = JsonSchemaGrammar.FromSchema(JsonDocument.Parse(
            """{"$schema":"https://json-schema.org/draft/2020-12/schema","title":"t","description":"d","type":"object","properties":{"a":{"type":"integer","default":1,"examples":[2]}}}""").RootElement);
        SamplingOptions.Greedy.With(gbnf).Validate();
        Assert.StartsWith("root ::= ", gbnf);
    }

    [Fact]
    public void MalformedGbnfIsAClearOptionError()
    {
        var ex = Assert.Throws<InvalidSamplingOptionException>(() => SamplingOptions.Greedy.With("root ::= missing-rule").Validate());
        Assert.Equal("grammar", ex.Option);
        Assert.Contains("not valid GBNF", ex.Message);
        Assert.Throws<InvalidSamplingOptionException>(() => SamplingOptions.Greedy.With("rot ::= \"a\"").Validate());
        Assert.Throws<InvalidSamplingOptionException>(() => SamplingOptions.Greedy.With("root ::= (\"a\"").Validate());
    }

    [Fact]
    public void GrammarWithIgnoreEosIsRefused()
    {
        var ex = Assert.Throws<InvalidSamplingOptionException>(() =>
            (SamplingOptions.Greedy with { Grammar = JsonSchemaGrammar.AnyJsonObject, IgnoreEos = true }).Validate());
        Assert.Contains("ignore_eos", ex.Message);
    }
}

internal static class GrammarOptions
{
    public static SamplingOptions With(this SamplingOptions options, string grammar) => options with { Grammar = grammar };
}
