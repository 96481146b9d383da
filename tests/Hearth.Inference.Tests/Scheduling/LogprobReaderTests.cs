using Hearth.Inference.Scheduling;

namespace Hearth.Inference.Tests.Scheduling;

/// <summary>The log-softmax and top-N selection behind <c>logprobs</c>, on logits made up for the purpose.</summary>
public sealed class LogprobReaderTests
{
    private static float[] RandomLogits(int count, int seed, float scale = 8f, float shift = 0f)
    {
        var random = new Random(seed);
        var logits = new float[count];
        for (var i = 0; i < count; i++)
            logits[i] = (float)(random.NextDouble() * 2 - 1) * scale + shift;
        return logits;
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1000f)] // exp(1000) overflows a double: the max must be subtracted first
    [InlineData(-1000f)] // exp(−1000) underflows to 0: likewise
    public void ProbabilitiesOverTheWholeVocabularySumToOne(float shift)
    {
        var logits = RandomLogits(32_000, seed: 1, shift: shift);
        var reader = new LogprobReader(LogprobReader.MaxTop);
        var normalizer = reader.Read(logits);
        Assert.True(double.IsFinite(normalizer));
        var sum = logits.Sum(l => Math.Exp(l - normalizer));
        Assert.Equal(1.0, sum, 1e-9);
        Assert.All(logits, l => Assert.True(l - normalizer <= 0));
    }

    [Fact]
    public void TopTokensAreTheMostLikelyDistinctAndSortedAsAFullSortWouldHaveThem()
    {
        var logits = RandomLogits(5000, seed: 2);
        // Ties: the lower id first, as a stable sort by descending logit gives.
        logits[17] = logits[4000] = logits[99] = 50f;
        var reader = new LogprobReader(7);
        reader.Read(logits);
        var expected = Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).Take(7).ToArray();
        Assert.Equal(expected, reader.TopTokens.ToArray());
        Assert.Equal(new[] { 17, 99, 4000 }, reader.TopTokens[..3].ToArray());
        Assert.Equal(expected.Select(i => logits[i]).ToArray(), reader.TopLogits.ToArray());
    }

    [Fact]
    public void TopProbabilitiesSumToAtMostOne()
    {
        // A peaked distribution, where the top few hold nearly all the mass.
        var logits = RandomLogits(512, seed: 3, scale: 30f);
        var reader = new LogprobReader(20);
        var normalizer = reader.Read(logits);
        var top = reader.TopLogits.ToArray().Sum(l => Math.Exp(l - normalizer));
        Assert.InRange(top, 0, 1 + 1e-9);
    }

    [Fact]
    public void AskingForMoreThanTheVocabularyGivesTheWholeVocabulary()
    {
        var reader = new LogprobReader(5);
        reader.Read([1f, 3f, 2f]);
        Assert.Equal(3, reader.Count);
        Assert.Equal(new[] { 1, 2, 0 }, reader.TopTokens.ToArray());
    }

    [Fact]
    public void ZeroAlternativesStillNormalizes()
    {
        var reader = new LogprobReader(0);
        var normalizer = reader.Read([0f, 0f]);
        Assert.Equal(0, reader.Count);
        Assert.Equal(Math.Log(2), normalizer, 1e-12);
    }

    [Fact]
    public void NaNLogitsAreIgnored()
    {
        var reader = new LogprobReader(2);
        var normalizer = reader.Read([float.NaN, 0f, float.NaN, 0f]);
        Assert.Equal(new[] { 1, 3 }, reader.TopTokens.ToArray());
        Assert.Equal(Math.Log(2), normalizer, 1e-12);
    }

    [Fact]
    public void ReusedReaderForgetsThePreviousRow()
    {
        var reader = new LogprobReader(2);
        reader.Read([9f, 8f, 1f]);
        reader.Read([1f, 2f, 3f]);
        Assert.Equal(new[] { 2, 1 }, reader.TopTokens.ToArray());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(21)]
    public void MoreThanTwentyOrNegativeAlternativesAreRefused(int top) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogprobReader(top));
}
