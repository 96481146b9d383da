using Hearth.Inference.Chat;
using Hearth.Inference.Embeddings;
using Hearth.Inference.Generation;
using Hearth.Inference.Sampling;

namespace Hearth.Inference.Tests.Embeddings;

/// <summary><see cref="Runtime.LoadedModel.EmbedAsync"/> on the tiny random-weight factory model (dim 64, context 512).</summary>
[Collection(ModelCollection.Name)]
public sealed class EmbeddingTests(ModelFiles files)
{
    [Fact]
    public async Task VectorsHaveTheEmbeddingLengthAndUnitNormWhenNormalised()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var result = await model.EmbedAsync(["the quick brown fox", "jumps over the lazy dog"]);
        Assert.Equal(64, model.EmbeddingSize);
        Assert.Equal(2, result.Vectors.Count);
        foreach (var vector in result.Vectors)
        {
            Assert.Equal(model.EmbeddingSize, vector.Length);
            Assert.All(vector, v => Assert.True(float.IsFinite(v)));
            Assert.Equal(1.0, Norm(vector), 4);
        }
    }

    [Fact]
    public async Task PromptTokensCountEveryInputWithItsBos()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        string[] inputs = ["hello", "a somewhat longer sentence to embed"];
        var result = await model.EmbedAsync(inputs);
        Assert.Equal(inputs.Sum(i => model.Tokenize(i, addBos: true, parseSpecial: false).Length), result.PromptTokens);
    }

    [Fact]
    public async Task SameTextGivesTheSameVectorAndDifferentTextsDiffer()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var batch = await model.EmbedAsync(["hello world", "goodbye moon", "hello world"]);
        var alone = await model.EmbedAsync(["hello world"]);
        Assert.Equal(batch.Vectors[0], batch.Vectors[2]);
        Assert.Equal(batch.Vectors[0], alone.Vectors[0]);
        Assert.NotEqual(batch.Vectors[0], batch.Vectors[1]);
        Assert.True(VectorMath.CosineSimilarity(batch.Vectors[0], batch.Vectors[1]) < 0.9999);
    }

    [Fact]
    public async Task UnnormalisedVectorsAreTheNormalisedOnesBeforeScaling()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var raw = (await model.EmbedAsync(["scale me"], normalize: false)).Vectors[0];
        var unit = (await model.EmbedAsync(["scale me"])).Vectors[0];
        Assert.NotEqual(1.0, Norm(raw), 3);
        var scaled = (float[])raw.Clone();
        VectorMath.NormalizeInPlace(scaled);
        for (var i = 0; i < unit.Length; i++)
            Assert.Equal(unit[i], scaled[i], 5);
    }

    [Fact]
    public async Task AnInputLongerThanTheContextIsRefusedWithBothLengths()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var tooLong = string.Join(' ', Enumerable.Repeat("embedding", 400));
        var ex = await Assert.ThrowsAsync<EmbeddingInputException>(() => model.EmbedAsync(["short", tooLong]));
        var tokens = model.Tokenize(tooLong, addBos: true, parseSpecial: false).Length;
        Assert.Equal(1, ex.Index);
        Assert.Equal(tokens, ex.Tokens);
        Assert.Equal(512, ex.ContextSize);
        Assert.Equal("input", ex.ParamName);
        Assert.Contains($"input[1] is {tokens} tokens but the context is 512 tokens", ex.Message);
    }

    [Fact]
    public async Task AnEmptyInputIsRefusedByIndex()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var ex = await Assert.ThrowsAsync<EmbeddingInputException>(() => model.EmbedAsync(["fine", ""]));
        Assert.Equal(1, ex.Index);
        Assert.Contains("input[1] is empty", ex.Message);
    }

    [Fact]
    public async Task TokenInputsEmbedLikeTheTextTheyCameFrom()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var tokens = model.Tokenize("token ids", addBos: true, parseSpecial: false);
        var fromTokens = await model.EmbedTokensAsync([tokens]);
        var fromText = await model.EmbedAsync(["token ids"]);
        Assert.Equal(fromText.Vectors[0], fromTokens.Vectors[0]);
        Assert.Equal(tokens.Length, fromTokens.PromptTokens);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => model.EmbedTokensAsync([[1, 2, 100000]]));
        Assert.Contains("token 100000 at input[0][2] is outside the vocabulary [0, 512)", ex.Message);
    }

    [Fact]
    public async Task NoInputsAreRefused()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => model.EmbedAsync([]));
        Assert.Contains("at least one input", ex.Message);
    }

    [Fact]
    public async Task EmbeddingAndGenerationShareAModelWithoutDisturbingEachOther()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var prompt = Prompt.Chat([ChatMessage.User("hi")]);
        var options = SamplingOptions.Greedy with { MaxTokens = 12, IgnoreEos = true };
        var before = await model.GenerateAsync(prompt, options);
        var embeddingTask = model.EmbedAsync(["while generating", "in parallel"]);
        var during = await model.GenerateAsync(prompt, options);
        var embedding = await embeddingTask;
        var after = await model.GenerateAsync(prompt, options);
        Assert.Equal(before.Text, during.Text);
        Assert.Equal(before.Text, after.Text);
        Assert.Equal((await model.EmbedAsync(["while generating"])).Vectors[0], embedding.Vectors[0]);
    }

    [Fact]
    public async Task EmbeddingADisposedModelThrowsObjectDisposed()
    {
        var model = await TestModels.LoadAsync(files.Tiny);
        await model.EmbedAsync(["create the context"]);
        model.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => model.EmbedAsync(["too late"]));
    }

    private static double Norm(float[] vector) => Math.Sqrt(vector.Sum(v => (double)v * v));
}
