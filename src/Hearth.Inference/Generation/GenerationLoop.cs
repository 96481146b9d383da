using System.Diagnostics;
using System.Text;
using Hearth.Inference.Runtime;
using Hearth.Inference.Sampling;
using LLama;
using LLama.Native;

namespace Hearth.Inference.Generation;

/// <summary>
/// The decode loop for one sequence on a loaded model's context: prefill the prompt in batch-size chunks, then sample,
/// detokenize, check stop conditions and decode one token at a time. Runs synchronously on the caller's thread while
/// the caller holds the model's decode gate. Kept free of per-token allocations beyond the text pieces themselves,
/// since it is what the runtime benchmark holds against a bare llama.cpp loop.
/// </summary>
internal static class GenerationLoop
{
    private static readonly LLamaSeqId Sequence = LLamaSeqId.Zero;

    public static GenerationResult Run(LoadedModel model, PreparedPrompt prompt, SamplingOptions options, uint seed,
        Action<GenerationChunk>? onChunk, long startedAt, CancellationToken cancellationToken)
    {
        var context = model.Context;
        var batch = model.Batch;
        var vocab = model.Model.Vocab;
        var tokens = prompt.Tokens;

        // Each request starts from an empty cache (no prompt caching yet); clearing metadata is enough.
        context.MemoryClear(false);
        using var sampler = SamplerChain.Build(options, seed, model.ContextSize, model.VocabularySize, model.EndOfGenerationTokens);
        var window = SamplerChain.PenaltyWindow(options, model.ContextSize);
        for (var i = Math.Max(0, tokens.Length - window); window > 0 && i < tokens.Length; i++)
            sampler.Accept(tokens[i]);

        var text = new StringBuilder();
        var stops = new StopSequenceMatcher(options.Stop);
        var decoder = new StreamingTokenDecoder(Encoding.UTF8, model.Model);
        var completion = 0;
        var finish = FinishReason.Cancelled;
        TimeSpan timeToFirstToken = default, promptEval = default;
        var prefillStart = Stopwatch.GetTimestamp();
        long evalStart = prefillStart;

        // Prefill: the prompt in chunks of n_batch, logits only for the last prompt token.
        var logitsIndex = 0;
        var prefilled = true;
        for (var start = 0; start < tokens.Length; start += model.BatchSize)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                prefilled = false;
                break;
            }
            var count = Math.Min(model.BatchSize, tokens.Length - start);
            batch.Clear();
            batch.AddRange(tokens.AsSpan(start, count), start, Sequence, start + count == tokens.Length);
            Decode(context, batch, start);
            logitsIndex = batch.TokenCount - 1;
        }

        if (prefilled)
        {
            evalStart = Stopwatch.GetTimestamp();
            promptEval = Stopwatch.GetElapsedTime(prefillStart, evalStart);
            var position = tokens.Length;
            while (true)
            {
                var token = sampler.Sample(context, logitsIndex);
                if (completion == 0)
                    timeToFirstToken = Stopwatch.GetElapsedTime(startedAt);
                if (!options.IgnoreEos && token.IsEndOfGeneration(vocab))
                {
                    finish = FinishReason.Stop;
                    break;
                }
                completion++;

                decoder.Add(token);
                if (decoder.AvailableCharacters > 0)
                {
                    var safe = stops.Push(decoder.Read());
                    if (safe.Length > 0)
                    {
                        text.Append(safe);
                        onChunk?.Invoke(new GenerationChunk(safe));
                    }
                    if (stops.Stopped)
                    {
                        finish = FinishReason.Stop;
                        break;
                    }
                }
                if (completion == options.MaxTokens || position >= model.ContextSize)
                {
                    finish = FinishReason.Length;
                    break;
                }
                if (cancellationToken.IsCancellationRequested)
                    break;

                batch.Clear();
                batch.Add(token, position, Sequence, true);
                Decode(context, batch, position);
                position++;
                logitsIndex = 0;
            }
        }

        // Text held back for a stop sequence that never completed belongs to the output.
        var rest = stops.Flush();
        if (rest.Length > 0)
        {
            text.Append(rest);
            onChunk?.Invoke(new GenerationChunk(rest));
        }

        var end = Stopwatch.GetTimestamp();
        var stats = new GenerationStats
        {
            PromptTokens = tokens.Length,
            CompletionTokens = completion,
            PromptEvalDuration = promptEval,
            EvalDuration = prefilled ? Stopwatch.GetElapsedTime(evalStart, end) : TimeSpan.Zero,
            TimeToFirstToken = timeToFirstToken,
            TotalDuration = Stopwatch.GetElapsedTime(startedAt, end),
            Seed = seed,
            TruncatedPromptTokens = prompt.TruncatedTokens,
            DroppedMessages = prompt.DroppedMessages,
        };
        return new GenerationResult(text.ToString(), finish, stats) { Template = prompt.Template };
    }

    private static void Decode(SafeLLamaContextHandle context, LLamaBatch batch, int position)
    {
        var result = context.Decode(batch);
        if (result != DecodeResult.Ok)
            throw new InvalidOperationException(
                $"llama.cpp could not decode {batch.TokenCount} token(s) at position {position}: {result} ({(int)result})");
    }
}
