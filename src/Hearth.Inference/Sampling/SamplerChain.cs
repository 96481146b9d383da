using Hearth.Inference.Grammar;
using LLama.Native;

namespace Hearth.Inference.Sampling;

/// <summary>
/// Builds llama.cpp's native sampler chain from <see cref="SamplingOptions"/>, in the order llama.cpp's
/// <c>common/sampling.cpp</c> uses: grammar → penalties → top-k → top-p → min-p → temperature → random pick with the seed.
/// The grammar goes first ("grammar first" in <c>common_sampler_sample</c>) so no filter can drop every token it allows.
/// Temperature 0 replaces the last three with a greedy (argmax) pick. Stages that are off are left out entirely,
/// so greedy decoding costs one pass over the logits.
/// </summary>
internal static class SamplerChain
{
    /// <param name="options">Validated options.</param>
    /// <param name="seed">The seed to use (the caller picks one when the options leave it unset, so it can report it).</param>
    /// <param name="contextSize">What <c>repeat_last_n = -1</c> means.</param>
    /// <param name="endOfGenerationTokens">Masked out when <see cref="SamplingOptions.IgnoreEos"/> is set.</param>
    /// <param name="model">The model whose vocabulary a <see cref="SamplingOptions.Grammar"/> is matched against; required when one is set.</param>
    /// <exception cref="InvalidSamplingOptionException">llama.cpp cannot parse the grammar.</exception>
    public static SafeLLamaSamplerChainHandle Build(SamplingOptions options, uint seed, int contextSize, int vocabSize,
        IReadOnlyList<int> endOfGenerationTokens, SafeLlamaModelHandle? model = null)
    {
        if (options.Grammar is not null && model is null)
            throw new ArgumentNullException(nameof(model), "a grammar is matched against the model's vocabulary: pass the model to SamplerChain.Build");
        var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        try
        {
            if (options.Grammar is not null)
                chain.AddCustom(GrammarStage.Create(model!, options.Grammar, endOfGenerationTokens));

            if (options.IgnoreEos && endOfGenerationTokens.Count > 0)
            {
                var biases = new LLamaLogitBias[endOfGenerationTokens.Count];
                for (var i = 0; i < biases.Length; i++)
                    biases[i] = new LLamaLogitBias { Token = endOfGenerationTokens[i], Bias = float.NegativeInfinity };
                chain.AddLogitBias(vocabSize, biases);
            }

            var lastN = PenaltyWindow(options, contextSize);
            if (lastN > 0)
                chain.AddPenalties(lastN, options.RepeatPenalty, options.FrequencyPenalty, options.PresencePenalty);

            if (options.IsGreedy)
            {
                chain.AddGreedySampler();
                return chain;
            }

            // min_keep = 1: a filter may never leave no candidate (llama.cpp's common default).
            if (options.TopK > 0)
                chain.AddTopK(options.TopK);
            if (options.TopP < 1f)
                chain.AddTopP(options.TopP, 1);
            if (options.MinP > 0f)
                chain.AddMinP(options.MinP, 1);
            chain.AddTemperature(options.Temperature);
            chain.AddDistributionSampler(seed);
            return chain;
        }
        catch
        {
            chain.Dispose();
            throw;
        }
    }

    /// <summary>How many recent tokens the penalty stage remembers; 0 when every penalty is off.</summary>
    public static int PenaltyWindow(SamplingOptions options, int contextSize)
    {
        var active = options.RepeatPenalty != 1f || options.FrequencyPenalty != 0f || options.PresencePenalty != 0f;
        if (!active || options.RepeatLastN == 0)
            return 0;
        return options.RepeatLastN == -1 ? contextSize : options.RepeatLastN;
    }
}
