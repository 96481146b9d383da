using System.Text.Json;
using Hearth.Inference.Grammar;
using Hearth.Inference.Sampling;
using Hearth.Models.Factory;

namespace Hearth.Inference.Tests.Grammar;

/// <summary>
/// The guarantee behind structured output: a reply generated under a schema's grammar always ends, parses and
/// validates — even from random-weight models, which follow the grammar and nothing else.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class ConstrainedGenerationTests(ModelFiles files)
{
    private const int MaxTokens = 1500;

    [Theory]
    [InlineData(3, 101)]
    [InlineData(11, 202)]
    [InlineData(12, 303)]
    public async Task RandomSchemasGiveValidRepliesGreedyAndSampled(int modelSeed, int schemaSeed)
    {
        var path = await ModelAsync(modelSeed);
        using var decoding = new ConstrainedDecoding(path);
        var schemas = new RandomSchemas(schemaSeed);
        for (var i = 0; i < 12; i++)
        {
            var schema = schemas.Next().ToJsonString();
            var grammar = JsonSchemaGrammar.FromSchema(JsonDocument.Parse(schema).RootElement);
            foreach (var options in new[]
            {
                SamplingOptions.Greedy with { Grammar = grammar },
                new SamplingOptions { Grammar = grammar, Temperature = 1.5f, TopK = 0, TopP = 1f },
            })
            {
                var reply = decoding.Generate(ConstrainedDecoding.ChatPrompt("Reply in JSON."), options, (uint)(schemaSeed + i), MaxTokens);
                var context = $"model seed {modelSeed}, schema {schemaSeed}#{i}, {(options.IsGreedy ? "greedy" : "sampled")}";
                Assert.True(reply.Ended, $"{context}: no end after {reply.Tokens} tokens\nschema: {schema}\nreply: {reply.Text}\n{grammar}");
                SchemaValidation.AssertValid(schema, reply.Text, context);
            }
        }
    }

    private async Task<string> ModelAsync(int seed)
    {
        if (seed == 3)
            return files.Tiny;
        var path = files.TempPath($"tiny-seed-{seed}.gguf");
        if (!File.Exists(path))
            await ModelFactory.CreateAsync(ModelSpec.Preset("tiny") with { Seed = (ulong)seed }, path);
        return path;
    }
}
