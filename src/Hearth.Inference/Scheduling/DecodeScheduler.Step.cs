using Hearth.Inference.Generation;
using LLama.Native;

namespace Hearth.Inference.Scheduling;

/// <summary>One step of the loop: build the batch, decode it, sample every sequence that got logits.</summary>
internal sealed partial class DecodeScheduler
{
    /// <summary>
    /// Most prompt tokens evaluated in a step that also decodes generating sequences. Prefill of a long prompt is
    /// split into chunks this size (chunked prefill, as in vLLM and Sarathi-Serve) so sequences already generating
    /// keep producing tokens between chunks instead of stalling for the whole prompt; with nothing generating, a
    /// step takes a full <c>n_batch</c> of prompt, as a lone decode loop would.
    /// </summary>
    public const int PrefillTokensWhileDecoding = 128;

    private readonly LLamaBatch _batch = new();
    private readonly int _batchSize;

    // Per slot: tokens it put in this step's batch (0 = none).
    private readonly int[] _stepTokens;
    private int _prefillCursor;
    private long _steps;

    /// <summary>Decode calls made so far (one per step): with sequences batched, fewer than the tokens they produced.</summary>
    public long Steps => Interlocked.Read(ref _steps);

    private void Step()
    {
        // Cancelled requests leave first, so their slots are free for the next admission.
        foreach (var slot in _slots)
            if (slot.Request is { } request && request.CancellationToken.IsCancellationRequested)
                Complete(slot, request, FinishReason.Cancelled);

        _batch.Clear();
        Array.Clear(_stepTokens);
        var decoding = 0;
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].Request is not { IsDecoding: true } request)
                continue;
            request.LogitsIndex = _batch.TokenCount;
            _batch.Add(request.PendingToken, request.Position, _slots[i].Id, true);
            _stepTokens[i] = 1;
            decoding++;
        }
        AddPrefillChunks(decoding == 0 ? _batchSize : Math.Min(PrefillTokensWhileDecoding, _batchSize - decoding));
        if (_batch.TokenCount == 0)
            return;

        var result = _context.Decode(_batch);
        Interlocked.Increment(ref _steps);
        if (result != DecodeResult.Ok)
        {
            FailBatch(result);
            return;
        }

        for (var i = 0; i < _slots.Length; i++)
        {
            var slot = _slots[i];
            var count = _stepTokens[i];
            if (count == 0 || slot.Request is not { } request)
                continue;
            if (request.IsDecoding)
            {
                slot.Cached.Add(request.PendingToken);
                request.Position++;
            }
            else
            {
                slot.Cached.AddRange(request.Tokens.AsSpan(request.Prefilled, count));
                request.Prefilled += count;
                request.Position = request.Prefilled;
            }
        }

        for (var i = 0; i < _slots.Length; i++)
        {
            var slot = _slots[i];
            if (slot.Request is not { LogitsIndex: >= 0 } request)
                continue;
            FinishReason? finish;
            try
            {
                finish = request.SampleNext(_context);
            }
            catch (Exception ex)
            {
                Fail(slot, request, ex);
                continue;
            }
            if (finish is { } reason)
                Complete(slot, request, reason);
        }
    }

    /// <summary>
    /// Shares <paramref name="budget"/> prompt tokens among the prefilling sequences: equal shares, what one does
    /// not need going to the others, starting one slot further each step (round robin), so a long prompt cannot keep a
    /// short one from starting.
    /// </summary>
    private void AddPrefillChunks(int budget)
    {
        var prefilling = 0;
        foreach (var slot in _slots)
            if (slot.Request is { IsPrefilling: true })
                prefilling++;
        if (prefilling == 0 || budget <= 0)
            return;

        Span<int> share = stackalloc int[_slots.Length];
        var start = _prefillCursor++ % _slots.Length;
        while (budget > 0 && prefilling > 0)
        {
            var each = Math.Max(1, budget / prefilling);
            prefilling = 0;
            for (var k = 0; k < _slots.Length && budget > 0; k++)
            {
                var i = (start + k) % _slots.Length;
                if (_slots[i].Request is not { IsPrefilling: true } request)
                    continue;
                var left = request.Tokens.Length - request.Prefilled - share[i];
                var take = Math.Min(Math.Min(each, left), budget);
                share[i] += take;
                budget -= take;
                if (left > take)
                    prefilling++;
            }
        }

        for (var k = 0; k < _slots.Length; k++)
        {
            var i = (start + k) % _slots.Length;
            if (share[i] == 0)
                continue;
            var slot = _slots[i];
            var request = slot.Request!;
            var last = request.Prefilled + share[i] == request.Tokens.Length;
            // Logits only for the prompt's last token: the first reply token is sampled from them.
            _batch.AddRange(request.Tokens.AsSpan(request.Prefilled, share[i]), request.Prefilled, slot.Id, last);
            if (last)
                request.LogitsIndex = _batch.TokenCount - 1;
            _stepTokens[i] = share[i];
        }
    }

    private void FailBatch(DecodeResult result)
    {
        var error = new InvalidOperationException(
            $"llama.cpp could not decode a batch of {_batch.TokenCount} token(s): {result} ({(int)result})");
        for (var i = 0; i < _slots.Length; i++)
            if (_stepTokens[i] > 0 && _slots[i].Request is { } request)
                Fail(_slots[i], request, error);
    }
}
