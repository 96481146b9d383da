using System.Text;
using Hearth.Inference.Embeddings;
using LLama;
using LLama.Common;
using LLama.Native;

namespace Hearth.Inference.Runtime;

public sealed partial class LoadedModel
{
    // The embedding context is separate from the generation context: llama.cpp switches a context's outputs from
    // logits to pooled embeddings as a whole (llama_set_embeddings), and generation must not wait on embeddings or
    // the reverse. Created on first use, since most served models are never asked for embeddings.
    private readonly SemaphoreSlim _embedGate = new(1, 1);
    private LLamaContext? _embedContext;
    private LLamaBatch? _embedBatch;

    /// <summary>The embedding length (<c>n_embd</c>): the size of each vector <see cref="EmbedAsync"/> returns.</summary>
    public int EmbeddingSize => Model.EmbeddingSize;

    /// <summary>
    /// Embeds each input whole as the mean of its tokens' final hidden states (llama.cpp's mean pooling), optionally
    /// scaled to unit length (<paramref name="normalize"/>, default: as llama-server, Ollama and OpenAI return them).
    /// Inputs are tokenized as user text (BOS as the model asks, special-token text left as text) and run one at a
    /// time in a context of their own, so the same text always gives the same vector. Thread-safe; calls wait their turn.
    /// </summary>
    /// <exception cref="EmbeddingInputException">An input is empty or longer than the context window (both lengths in the message).</exception>
    public async Task<EmbeddingResult> EmbedAsync(IReadOnlyList<string> inputs, bool normalize = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
            throw new ArgumentException("at least one input is needed", nameof(inputs));
        ThrowIfDisposed();

        // Tokenize and check every input before any decode, so a bad input fails the whole request up front.
        var tokenized = new LLamaToken[inputs.Count][];
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] is null)
                throw new ArgumentException($"input[{i}] is null", nameof(inputs));
            // Empty text would embed just the BOS token: a vector that means nothing (OpenAI refuses it too).
            if (inputs[i].Length == 0)
                throw EmbeddingInputException.Empty(i, ContextSize);
            var tokens = Model.Tokenize(inputs[i], true, false, Encoding.UTF8);
            if (tokens.Length == 0)
                throw EmbeddingInputException.Empty(i, ContextSize);
            if (tokens.Length > ContextSize)
                throw EmbeddingInputException.TooLong(i, tokens.Length, ContextSize);
            tokenized[i] = tokens;
        }
        return await EmbedTokenizedAsync(tokenized, normalize, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Embeds token-id inputs as they are (no BOS added), as OpenAI's embeddings endpoint accepts them; otherwise as
    /// <see cref="EmbedAsync"/>.
    /// </summary>
    /// <exception cref="EmbeddingInputException">An input is empty or longer than the context window.</exception>
    /// <exception cref="ArgumentException">A token id is outside the vocabulary.</exception>
    public async Task<EmbeddingResult> EmbedTokensAsync(IReadOnlyList<IReadOnlyList<int>> inputs, bool normalize = true,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
            throw new ArgumentException("at least one input is needed", nameof(inputs));
        ThrowIfDisposed();
        var tokenized = new LLamaToken[inputs.Count][];
        for (var i = 0; i < inputs.Count; i++)
        {
            var ids = inputs[i] ?? throw new ArgumentException($"input[{i}] is null", nameof(inputs));
            if (ids.Count == 0)
                throw EmbeddingInputException.Empty(i, ContextSize);
            if (ids.Count > ContextSize)
                throw EmbeddingInputException.TooLong(i, ids.Count, ContextSize);
            var tokens = new LLamaToken[ids.Count];
            for (var t = 0; t < tokens.Length; t++)
            {
                if ((uint)ids[t] >= (uint)VocabularySize)
                    throw new ArgumentException($"token {ids[t]} at input[{i}][{t}] is outside the vocabulary [0, {VocabularySize})", "input");
                tokens[t] = ids[t];
            }
            tokenized[i] = tokens;
        }
        return await EmbedTokenizedAsync(tokenized, normalize, cancellationToken).ConfigureAwait(false);
    }

    private async Task<EmbeddingResult> EmbedTokenizedAsync(LLamaToken[][] tokenized, bool normalize, CancellationToken cancellationToken)
    {
        await _embedGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
            return await Task.Factory.StartNew(() => EmbedAll(tokenized, normalize, stop.Token), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            _embedGate.Release();
        }
    }

    /// <summary>Runs on a worker thread while holding the embed gate.</summary>
    private EmbeddingResult EmbedAll(LLamaToken[][] inputs, bool normalize, CancellationToken cancellationToken)
    {
        var context = EmbeddingContext().NativeHandle;
        var batch = _embedBatch ??= new LLamaBatch();
        var vectors = new List<float[]>(inputs.Length);
        var promptTokens = 0;
        foreach (var tokens in inputs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Each input starts from an empty cache: a causal model's states depend on everything before them.
            context.MemoryClear(false);
            batch.Clear();
            // Outputs for every token: mean pooling averages all of them (llama.cpp's embedding example marks each).
            for (var p = 0; p < tokens.Length; p++)
                batch.Add(tokens[p], p, LLamaSeqId.Zero, true);
            var result = context.Decode(batch);
            if (result != DecodeResult.Ok)
                throw new InvalidOperationException($"llama.cpp could not embed an input of {tokens.Length} token(s): {result} ({(int)result})");
            var pooled = context.GetEmbeddingsSeq(LLamaSeqId.Zero);
            if (pooled.Length != EmbeddingSize)
                throw new InvalidOperationException($"llama.cpp returned an embedding of length {pooled.Length}, expected {EmbeddingSize}");
            var vector = pooled.ToArray();
            if (normalize)
                VectorMath.NormalizeInPlace(vector);
            vectors.Add(vector);
            promptTokens += tokens.Length;
        }
        return new EmbeddingResult(vectors, promptTokens);
    }

    private LLamaContext EmbeddingContext()
    {
        if (_embedContext is not null)
            return _embedContext;
        var parameters = new ModelParams(Path)
        {
            ContextSize = (uint)ContextSize,
            // Pooled embeddings are computed per micro-batch (llama_context::decode overwrites embd_seq for each), so a
            // whole input must fit one: n_batch = n_ubatch = n_ctx, as llama-server sets them for embeddings.
            BatchSize = (uint)ContextSize,
            UBatchSize = (uint)ContextSize,
            SeqMax = 1,
            Threads = Options.Threads,
            BatchThreads = Options.Threads,
            Embeddings = true,
            PoolingType = LLamaPoolingType.Mean,
            GpuLayerCount = 0,
        };
        var mark = LlamaRuntime.ErrorMark;
        LLamaContext context;
        try
        {
            context = _weights.CreateContext(parameters);
        }
        catch (Exception ex)
        {
            throw new ModelLoadException(Path, "llama.cpp could not create an embedding context: " + LlamaRuntime.DescribeRefusal(mark), ex);
        }
        if (_adapters.Count > 0)
        {
            // Adapters change the hidden states, so embeddings see them as generation does.
            var scaled = new (LoraAdapter, float)[_adapters.Count];
            for (var i = 0; i < scaled.Length; i++)
                scaled[i] = (_adapters[i], Options.Adapters[i].Scale);
            context.NativeHandle.SetLoraAdapters(scaled);
        }
        return _embedContext = context;
    }

    // Called from Dispose before the weights are freed: waits out an embedding in progress (it stops between inputs,
    // since _disposing has fired), then frees the context.
    partial void OnDisposing()
    {
        _embedGate.Wait();
        try
        {
            _embedContext?.Dispose();
            _embedContext = null;
        }
        finally
        {
            _embedGate.Release();
        }
    }
}
