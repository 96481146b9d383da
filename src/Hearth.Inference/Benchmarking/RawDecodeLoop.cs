using System.Diagnostics;
using LLama.Native;

namespace Hearth.Inference.Benchmarking;

/// <summary>
/// The baseline: llama.cpp driven as directly as LLamaSharp allows — decode the prompt batch, then one token at a time
/// with a greedy argmax over the logits, nothing else (no sampler chain, no detokenizing, no stop checks).
/// </summary>
internal static class RawDecodeLoop
{
    public static BenchmarkRun Run(SafeLLamaContextHandle context, int batchSize, ReadOnlySpan<LLamaToken> prompt, int generate)
    {
        var started = Stopwatch.GetTimestamp();
        var batch = new LLamaBatch();
        var sequence = LLamaSeqId.Zero;
        context.MemoryClear(false);

        for (var start = 0; start < prompt.Length; start += batchSize)
        {
            var count = Math.Min(batchSize, prompt.Length - start);
            batch.Clear();
            batch.AddRange(prompt.Slice(start, count), start, sequence, start + count == prompt.Length);
            Check(context.Decode(batch));
        }
        var prefilled = Stopwatch.GetTimestamp();

        var logitsIndex = batch.TokenCount - 1;
        var position = prompt.Length;
        TimeSpan firstToken = default;
        for (var i = 0; i < generate; i++)
        {
            var token = ArgMax(context.GetLogitsIth(logitsIndex));
            if (i == 0)
                firstToken = Stopwatch.GetElapsedTime(started);
            if (i == generate - 1)
                break;
            batch.Clear();
            batch.Add(token, position++, sequence, true);
            Check(context.Decode(batch));
            logitsIndex = 0;
        }
        var end = Stopwatch.GetTimestamp();
        return new BenchmarkRun(prompt.Length, generate, Stopwatch.GetElapsedTime(started, prefilled),
            Stopwatch.GetElapsedTime(prefilled, end), firstToken);
    }

    private static LLamaToken ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
            if (logits[i] > logits[best])
                best = i;
        return best;
    }

    private static void Check(DecodeResult result)
    {
        if (result != DecodeResult.Ok)
            throw new InvalidOperationException($"llama.cpp decode failed in the raw benchmark loop: {result}");
    }
}
