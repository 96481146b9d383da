using System.Diagnostics;
using System.Text;
using Hearth.Inference.Generation;
using Hearth.Inference.Grammar;
using Hearth.Inference.Runtime;
using Hearth.Inference.Sampling;
using LLama;
using LLama.Native;

namespace Hearth.Inference.Scheduling;

/// <summary>
/// One generation as the <see cref="DecodeScheduler"/> runs it: the prepared prompt, its own native sampler chain,
/// UTF-8 token decoder and stop-sequence matcher, and the progress of its sequence (prompt tokens in the KV cache, the
/// token sampled but not yet decoded). Per token it applies the same rules, in the same order, as a lone decode loop:
/// end-of-generation → stop sequence → max tokens / context full → cancellation. With
/// <see cref="SamplingOptions.TopLogprobs"/> set it also reads each token's log probabilities from the logits it was
/// sampled from (<see cref="LogprobReader"/>) and releases them in step with the emitted text
/// (<see cref="PendingLogprobs"/>); without, that costs one null check per token. Created on the caller's thread (so
/// bad sampling options fail there); after submission touched only by the scheduler's thread.
/// </summary>
internal sealed class GenerationRequest : IDisposable
{
    private readonly LoadedModel _model;
    private readonly Action<GenerationChunk>? _onChunk;
    private readonly SafeLLamaSamplerChainHandle _sampler;
    private readonly StreamingTokenDecoder _decoder;
    private readonly StopSequenceMatcher _stops;
    private readonly LogprobReader? _logprobs;
    private readonly PendingLogprobs? _pendingLogprobs;
    private readonly TokenPieces? _pieces;
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
            if (options.TopLogprobs is { } top)
            {
                _logprobs = new LogprobReader(top);
                _pendingLogprobs = new PendingLogprobs();
                // Control tokens write no bytes, as in the decoder (which does not render special tokens).
                _pieces = TokenPieces.For(model.Model);
            }
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
        var index = LogitsIndex;
        var token = _sampler.Sample(context, index);
        LogitsIndex = -1;
        if (_completionTokens == 0)
            _timeToFirstToken = Stopwatch.GetElapsedTime(_startedAt);
        // End-of-generation is not part of the output, so it gets no log-probability entry either.
        if (!Options.IgnoreEos && token.IsEndOfGeneration(_model.Model.Vocab))
            return FinishReason.Stop;
        _completionTokens++;
        if (_pendingLogprobs is not null)
            _pendingLogprobs.Add(ReadLogprob(context, index, token));

        _decoder.Add(token);
        if (_decoder.AvailableCharacters > 0)
        {
            var text = _decoder.Read();
            _pendingLogprobs?.Decoded(text.Length);
            var safe = _stops.Push(text);
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
        // Text held back for a stop sequence that never completed belongs to the output, and so do the entries of
        // tokens whose text never completed (a character cut by max_tokens); after a stop sequence, the entries past
        // the cut are dropped with its text.
        Emit(_stops.Flush(), final: !_stops.Stopped);
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
        var result = new GenerationResult(_text.ToString(), reason, stats)
        {
            Template = Prompt.Template,
            Logprobs = _pendingLogprobs?.Released,
        };
        _completion.TrySetResult(result);
        return result;
    }

    /// <summary>Ends the request with an error (it never ran, or llama.cpp failed under it).</summary>
    public void Fail(Exception error)
    {
        Slot = null;
        _completion.TrySetException(error);
    }

    /// <param name="final">Release every pending log-probability entry, not only those whose text is emitted.</param>
    private void Emit(string text, bool final = false)
    {
        var logprobs = _pendingLogprobs is null ? null
            : final ? _pendingLogprobs.ReleaseAll() : _pendingLogprobs.Release(_text.Length + text.Length);
        if (text.Length == 0 && logprobs is not { Count: > 0 })
            return;
        _text.Append(text);
        _onChunk?.Invoke(new GenerationChunk(text) { Logprobs = logprobs });
    }

    /// <summary>
    /// The log probabilities of the step that produced <paramref name="token"/>, from the raw logits of batch row
    /// <paramref name="index"/> (still those the sampler saw: the next decode has not run). The sampler works on its
    /// own copy of the candidates, so these are the model's own, before temperature, penalties and grammar.
    /// </summary>
    private TokenLogprob ReadLogprob(SafeLLamaContextHandle context, int index, LLamaToken token)
    {
        var logits = context.GetLogitsIth(index);
        var normalizer = _logprobs!.Read(logits);
        var top = new TokenAlternative[_logprobs.Count];
        for (var k = 0; k < top.Length; k++)
        {
            var id = _logprobs.TopTokens[k];
            var bytes = _pieces![id].ToArray();
            top[k] = new TokenAlternative(id, TokenLogprob.TextOf(bytes), bytes, (float)(_logprobs.TopLogits[k] - normalizer));
        }
        var chosen = _pieces![(int)token].ToArray();
        return new TokenLogprob((int)token, TokenLogprob.TextOf(chosen), chosen, (float)(logits[(int)token] - normalizer))
        {
            TextOffset = _pendingLogprobs!.DecodedLength,
            TopLogprobs = top,
        };
    }

    /// <summary>Frees the native sampler; call once <see cref="Completion"/> is done (or the request was never submitted).</summary>
    public void Dispose() => _sampler.Dispose();
}
