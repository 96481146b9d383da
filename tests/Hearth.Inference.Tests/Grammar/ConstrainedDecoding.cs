using System.Text;
using Hearth.Inference.Runtime;
using Hearth.Inference.Sampling;
using LLama;
using LLama.Common;
using LLama.Native;

namespace Hearth.Inference.Tests.Grammar;

/// <summary>
/// A model file loaded straight through LLamaSharp with its own context, and a minimal decode loop over
/// <see cref="SamplerChain.Build"/> (prefill, then sample and decode one token at a time), so the grammar is tested
/// through the sampler chain itself, as any decode loop uses it, independently of Hearth's scheduler. Like the real
/// loops it first primes the penalty window with the prompt's tokens, which the grammar stage must ignore.
/// </summary>
internal sealed class ConstrainedDecoding : IDisposable
{
    public sealed record Reply(string Text, bool Ended, int Tokens);

    private readonly LLamaWeights _weights;
    private readonly LLamaContext _context;
    private readonly LLamaBatch _batch = new();

    public ConstrainedDecoding(string path, int contextSize = 2048)
    {
        LlamaRuntime.EnsureInitialized();
        var parameters = new ModelParams(path) { ContextSize = (uint)contextSize, Threads = 2, BatchSize = 512 };
        _weights = LLamaWeights.LoadFromFile(parameters);
        _context = _weights.CreateContext(parameters);
        var vocab = _weights.NativeHandle.Vocab;
        EndOfGeneration = Enumerable.Range(0, vocab.Count).Where(t => ((LLamaToken)t).IsEndOfGeneration(vocab)).ToArray();
    }

    public SafeLlamaModelHandle Model => _weights.NativeHandle;

    private int[] EndOfGeneration { get; }

    /// <summary>The model's ChatML rendering of one user turn, ready for the assistant's reply.</summary>
    public static string ChatPrompt(string user) => $"<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n";

    public Reply Generate(string prompt, SamplingOptions options, uint seed, int maxTokens)
    {
        options.Validate();
        var handle = _context.NativeHandle;
        var contextSize = (int)_context.ContextSize;
        var tokens = _weights.NativeHandle.Tokenize(prompt, true, true, Encoding.UTF8);
        handle.MemoryClear(false);
        using var sampler = SamplerChain.Build(options, seed, contextSize, _weights.NativeHandle.Vocab.Count, EndOfGeneration, Model);
        var window = SamplerChain.PenaltyWindow(options, contextSize);
        for (var i = Math.Max(0, tokens.Length - window); window > 0 && i < tokens.Length; i++)
            sampler.Accept(tokens[i]);

        _batch.Clear();
        _batch.AddRange(tokens, 0, LLamaSeqId.Zero, true);
        Assert.Equal(DecodeResult.Ok, handle.Decode(_batch));
        var logitsIndex = _batch.TokenCount - 1;
        var decoder = new StreamingTokenDecoder(Encoding.UTF8, Model);
        var text = new StringBuilder();
        var position = tokens.Length;
        for (var n = 0; n < maxTokens && position < contextSize; n++)
        {
            var token = sampler.Sample(handle, logitsIndex);
            if (token.IsEndOfGeneration(Model.Vocab))
                return new Reply(text.ToString(), true, n);
            decoder.Add(token);
            text.Append(decoder.Read());
            _batch.Clear();
            _batch.Add(token, position++, LLamaSeqId.Zero, true);
            Assert.Equal(DecodeResult.Ok, handle.Decode(_batch));
            logitsIndex = 0;
        }
        return new Reply(text.ToString(), false, maxTokens);
    }

    public void Dispose()
    {
        _context.Dispose();
        _weights.Dispose();
    }
}
