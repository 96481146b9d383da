using Hearth.Inference.Sampling;

namespace Hearth.Inference.Tests;

public sealed class SamplingOptionsTests
{
    [Fact]
    public void DefaultsAreOllamas()
    {
        var o = new SamplingOptions();
        Assert.Equal(0.8f, o.Temperature);
        Assert.Equal(40, o.TopK);
        Assert.Equal(0.9f, o.TopP);
        Assert.Equal(0f, o.MinP);
        Assert.Equal(1.1f, o.RepeatPenalty);
        Assert.Equal(64, o.RepeatLastN);
        Assert.Null(o.Seed);
        Assert.Empty(o.Stop);
        Assert.Equal(-1, o.MaxTokens);
        o.Validate();
    }

    public static TheoryData<SamplingOptions, string, string> OutOfRange => new()
    {
        { new SamplingOptions { TopP = 1.5f }, "top_p", "top_p must be between 0 and 1, got 1.5" },
        { new SamplingOptions { Temperature = -0.5f }, "temperature", "temperature must be 0 or more, got -0.5" },
        { new SamplingOptions { TopK = -1 }, "top_k", "top_k must be 0 (off) or more, got -1" },
        { new SamplingOptions { MinP = 2f }, "min_p", "min_p must be between 0 and 1, got 2" },
        { new SamplingOptions { RepeatPenalty = 0f }, "repeat_penalty", "repeat_penalty must be greater than 0 (1 is off), got 0" },
        { new SamplingOptions { RepeatLastN = -2 }, "repeat_last_n", "got -2" },
        { new SamplingOptions { MaxTokens = 0 }, "num_predict", "num_predict must be -1 (until the end) or at least 1, got 0" },
        { new SamplingOptions { PresencePenalty = 3f }, "presence_penalty", "between -2 and 2, got 3" },
        { new SamplingOptions { Stop = ["ok", ""] }, "stop", "stop[1]" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void RejectsOutOfRangeOptionsNamingTheOption(SamplingOptions options, string option, string message)
    {
        var ex = Assert.Throws<InvalidSamplingOptionException>(options.Validate);
        Assert.Equal(option, ex.Option);
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void GreedyMeansTemperatureZeroWithoutPenalty()
    {
        Assert.True(SamplingOptions.Greedy.IsGreedy);
        Assert.Equal(0, SamplerChain.PenaltyWindow(SamplingOptions.Greedy, 512));
        Assert.Equal(512, SamplerChain.PenaltyWindow(new SamplingOptions { RepeatLastN = -1 }, 512));
    }

    [Fact]
    public void OptionsWithEqualStopListsAreEqual() =>
        Assert.Equal(new SamplingOptions { Stop = ["a", "b"] }, new SamplingOptions { Stop = new List<string> { "a", "b" } });
}
