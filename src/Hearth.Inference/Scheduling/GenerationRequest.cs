using System.Diagnostics;
using System.Text;
using Hearth.Inference.Generation;
using Hearth.Inference.Runtime;
using Hearth.Inference.Sampling;
using LLama;
using LLama.Native;

namespace Hearth.Inference.Scheduling;

/// <summary>
/// One generation as the <see cref="DecodeScheduler"/> runs it: the prepared prompt, its own native sampler chain,
/// UTF-8 token decoder and stop-sequence matcher, and the progress of its sequence (prompt tokens in the KV cache, the
/// token sampled but not yet decoded). Per token it applies the same rules, in the same order, as a lone decode loop:
/// end-of-generation → stop sequence → max tokens / context full → cancellation. Created on the caller's thread (so
/// bad sampling options fail there); after submission touched only by the scheduler's thread.
/// </summary>
internal sealed class GenerationRequest : IDisposable
{
    private readonly LoadedModel _model;
    private readonly Action<GenerationChunk>? _onChunk;
    private readonly SafeLLamaSamplerChainHandle _sampler;
    private readonly StreamingTokenDecoder _decoder;
    private readonly StopSequenceMatcher _stops;
    private readonly StringBuilder _text = new();
    private readonly TaskCompletionSource<GenerationResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _startedAt;
    private long _admittedAt, _promptDoneAt;
    private TimeSpan _timeToFirstToken;
    private int _completionTokens;

    public GenerationRequest(LoadedModel model, PreparedPrompt prompt, SamplingOptions options, uint seed,
        Action<GenerationChunk>? onChunk, long startedAt, CancellationToken cancellationToken)
    {
        _model = model;
        Prompt = prompt;
        Options = options;
        Seed = seed;
        _onChunk = onChunk;
        _startedAt = startedAt;
        CancellationToken = cancellationToken;
        _sampler = SamplerChain.Build(options, seed, model.ContextSize, model.VocabularySize, model.EndOfGenerationTokens, model.Model);
        try
        {
            // The penalty stage remembers the end of the prompt, as it would have seen it being decoded.
            var tokens = prompt.Tokens;
            var window = SamplerChain.PenaltyWindow(options, model.ContextSize);
            for (var i = Math.Max(0, tokens.Length - window); window > 0 && i < tokens.Length; i++)
                _sampler.Accept(tokens[i]);
            _decoder = new StreamingTokenDecoder(Encoding.UTF8, model.Model);
            _stops = new StopSequenceMatcher(options.Stop);
        }
        catch
        {
            _sampler.Dispose();
            throw;
        }
    }

    public PreparedPrompt Prompt { get; }

    public LLamaToken[] Tokens => Prompt.Tokens;

    public SamplingOptions Options { get; }

    public uint Seed { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Completes with the result (also when cancelled after admission); faults if the request never ran or failed.</summary>
    public Task<GenerationResult> Completion => _completion.Task;

    // ---- Sequence progress (scheduler thread only) ----

    /// <summary>The slot this request decodes in, once admitted.</summary>
    public SequenceSlot? Slot { get; private set; }

    /// <summary>Prompt tokens in the KV cache so far (cached ones included).</summary>
    public int Prefilled { get; set; }

    /// <summary>Prompt tokens reused from the prompt cache.</summary>
    public int CachedTokens { get; private set; }

    /// <summary>The position the next token is decoded at.</summary>
    public int Position { get; set; }

    /// <summary>The sampled token to feed the next decode; valid while <see cref="IsDecoding"/>.</summary>
    public LLamaToken PendingToken { get; private set; }

    /// <summary>Whether the whole prompt is in the cache and the request is generating.</summary>
    public bool IsDecoding { get; private set; }

    /// <summary>Index in the current batch whose logits this request samples next; −1 when it has none this step.</summary>
    public int LogitsIndex { get; set; } = -1;

    public bool IsPrefilling => Slot is not null && !IsDecoding;

    /// <summary>Binds the request to its slot with <paramref name="cachedTokens"/> prompt tokens already in the cache.</summary>
    public void Admit(SequenceSlot slot, int cachedTokens)
    {
        Slot = slot;
        CachedTokens = cachedTokens;
        Prefilled = cachedTokens;
        Position = cachedTokens;
        _admittedAt = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// Samples from this step's logits and applies the stop rules. Returns the finish reason when generation ends,
    /// or null when <see cref="PendingToken"/> should be decoded next.
    /// </summary>
    public FinishReason? SampleNext(SafeLLamaContextHandle context)
    {
        if (!IsDecoding)
        {
            IsDecoding = true;
            _promptDoneAt = Stopwatch.GetTimestamp();
        }
        var token = _sampler.Sample(context, LogitsIndex);
        LogitsIndex = -1;
        if (_completionTokens == 0)
            _timeToFirstToken = Stopwatch.GetElapsedTime(_startedAt);
        if (!Options.IgnoreEos && token.IsEndOfGeneration(_model.Model.Vocab))
            return FinishReason.Stop;
        _completionTokens++;

        _decoder.Add(token);
        if (_decoder.AvailableCharacters > 0)
        {
            var safe = _stops.Push(_decoder.Read());
            Emit(safe);
            if (_stops.Stopped)
                return FinishReason.Stop;
        }
        if (_completionTokens == Options.MaxTokens || Position >= _model.ContextSize)
            return FinishReason.Length;
        if (CancellationToken.IsCancellationRequested)
            return FinishReason.Cancelled;
        PendingToken = token;
        return null;
    }

    /// <summary>Ends the request with <paramref name="reason"/>: flushes held-back text and completes <see cref="Completion"/>.</summary>
    public GenerationResult Finish(FinishReason reason)
    {
        // Text held back for a stop sequence that never completed belongs to the output.
        Emit(_stops.Flush());
        var end = Stopwatch.GetTimestamp();
        var stats = new GenerationStats
        {
            PromptTokens = Tokens.Length,
            CachedPromptTokens = CachedTokens,
            CompletionTokens = _completionTokens,
            PromptEvalDuration = IsDecoding ? Stopwatch.GetElapsedTime(_admittedAt, _promptDoneAt) : TimeSpan.Zero,
            EvalDuration = IsDecoding ? Stopwatch.GetElapsedTime(_promptDoneAt, end) : TimeSpan.Zero,
            TimeToFirstToken = _timeToFirstToken,
            TotalDuration = Stopwatch.GetElapsedTime(_startedAt, end),
            Seed = Seed,
            TruncatedPromptTokens = Prompt.TruncatedTokens,
            DroppedMessages = Prompt.DroppedMessages,
        };
        Slot = null;
        var result = new GenerationResult(_text.ToString(), reason, stats) { Template = Prompt.Template };
        _completion.TrySetResult(result);
        return result;
    }

    /// <summary>Ends the request with an error (it never ran, or llama.cpp failed under it).</summary>
    public void Fail(Exception error)
    {
        Slot = null;
        _completion.TrySetException(error);
    }

    private void Emit(string text)
    {
        if (text.Length == 0)
            return;
        _text.Append(text);
        _onChunk?.Invoke(new GenerationChunk(text));
    }

    /// <summary>Frees the native sampler; call once <see cref="Completion"/> is done (or the request was never submitted).</summary>
    public void Dispose() => _sampler.Dispose();
}
