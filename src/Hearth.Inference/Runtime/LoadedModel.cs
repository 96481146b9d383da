using System.Runtime.InteropServices;
using System.Text;
using Hearth.Inference.Chat;
using Hearth.Inference.Scheduling;
using LLama;
using LLama.Common;
using LLama.Native;

namespace Hearth.Inference.Runtime;

/// <summary>
/// A model file loaded into llama.cpp: its weights, any LoRA adapters, one context (KV cache) and the chat template it
/// renders with. Generation (<see cref="GenerateAsync"/>, <see cref="GenerateStreamAsync"/>) goes through the model's
/// <see cref="DecodeScheduler"/>: up to <see cref="ModelLoadOptions.ParallelSequences"/> requests are decoded together
/// in one batch, each in its own sequence with the full <see cref="ContextSize"/>, and the rest wait in a bounded queue.
/// Thread-safe. Usually obtained from a <see cref="Pool.ModelPool"/>, which shares and unloads models.
/// </summary>
public sealed partial class LoadedModel : IDisposable
{
    private readonly LLamaWeights _weights;
    private readonly LLamaContext _context;
    private readonly List<LoraAdapter> _adapters;
    private readonly DecodeScheduler _scheduler;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Lazy<int[]> _endOfGeneration;
    private int _disposed;

    private LoadedModel(string path, ModelLoadOptions options, LLamaWeights weights, LLamaContext context, List<LoraAdapter> adapters,
        ChatTemplate template, long fileBytes)
    {
        Path = path;
        Options = options;
        _weights = weights;
        _context = context;
        _adapters = adapters;
        Template = template;
        // The context holds ContextSize tokens per sequence (see LoadAsync); llama.cpp may have rounded it up.
        TotalContextSize = checked((int)context.NativeHandle.ContextSize);
        ParallelSequences = options.ParallelSequences;
        ContextSize = TotalContextSize / ParallelSequences;
        BatchSize = checked((int)context.NativeHandle.BatchSize);
        VocabularySize = weights.NativeHandle.Vocab.Count;
        var handle = weights.NativeHandle;
        MemoryEstimate = ModelMemoryEstimate.FromShape(fileBytes, handle.LayerCount, handle.EmbeddingSize, handle.HeadCount,
            handle.KVHeadCount, VocabularySize, TotalContextSize, checked((int)context.NativeHandle.UBatchSize));
        _endOfGeneration = new(FindEndOfGenerationTokens);
        _scheduler = new DecodeScheduler(this, context.NativeHandle, ParallelSequences, BatchSize, options.MaxQueuedRequests);
    }

    /// <summary>The model file (full path).</summary>
    public string Path { get; }

    /// <summary>The options it was loaded with.</summary>
    public ModelLoadOptions Options { get; }

    /// <summary>
    /// The context window of one request in tokens: prompt plus reply must fit in it (llama.cpp may round the
    /// requested size up). Each of the <see cref="ParallelSequences"/> has a window this size.
    /// </summary>
    public int ContextSize { get; }

    /// <summary>Tokens the KV cache holds across all sequences: <see cref="ContextSize"/> × <see cref="ParallelSequences"/>.</summary>
    public int TotalContextSize { get; }

    /// <summary>Requests decoded together (sequence slots); more wait in the queue.</summary>
    public int ParallelSequences { get; }

    /// <summary>Requests waiting for a sequence slot now (for metrics).</summary>
    public int QueueDepth => _scheduler.QueueDepth;

    /// <summary>Requests holding a sequence slot now, prefilling or generating (for metrics).</summary>
    public int ActiveSequences => _scheduler.ActiveSequences;

    /// <summary>Decode steps the scheduler has run (each one <c>llama_decode</c> of a batch).</summary>
    internal long DecodeSteps => _scheduler.Steps;

    /// <summary>Most tokens one decode call evaluates (<c>n_batch</c>), shared by all sequences in a step.</summary>
    public int BatchSize { get; }

    public int VocabularySize { get; }

    /// <summary>The template chat prompts are rendered with, and where it came from.</summary>
    public ChatTemplate Template { get; }

    /// <summary>Estimated memory held by this model (weights, KV cache, compute buffers).</summary>
    public ModelMemoryEstimate MemoryEstimate { get; }

    /// <summary>llama.cpp's one-line description of the model (architecture, size, file type).</summary>
    public string Description => _weights.NativeHandle.Description;

    public ulong ParameterCount => _weights.NativeHandle.ParameterCount;

    internal SafeLLamaContextHandle Context => _context.NativeHandle;

    internal SafeLlamaModelHandle Model => _weights.NativeHandle;

    /// <summary>Tokens that end a turn (EOS, EOT, <c>&lt;|im_end|&gt;</c>, …), found once per model.</summary>
    internal IReadOnlyList<int> EndOfGenerationTokens => _endOfGeneration.Value;

    /// <summary>
    /// Loads <paramref name="path"/> with <paramref name="options"/>. Progress reports the fraction of weights loaded.
    /// </summary>
    /// <exception cref="ModelLoadException">The file (or an adapter) is missing, not GGUF, or llama.cpp refuses it; or the chat template override is not one llama.cpp knows.</exception>
    public static async Task<LoadedModel> LoadAsync(string path, ModelLoadOptions? options = null, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new ModelLoadOptions();
        options.Validate();
        var fullPath = System.IO.Path.GetFullPath(path);
        var fileBytes = ModelFile.Check(fullPath);
        foreach (var adapter in options.Adapters)
            fileBytes += ModelFile.Check(System.IO.Path.GetFullPath(adapter.Path), "adapter file");
        LlamaRuntime.EnsureInitialized();

        var parameters = new ModelParams(fullPath)
        {
            // One unified KV cache of n_ctx cells shared by n_seq_max sequences, each allowed up to n_ctx positions
            // (llama_context: n_ctx_seq = kv_unified ? n_ctx : n_ctx / n_seq_max). Sized so every sequence can hold a
            // whole ContextSize window at once; the scheduler keeps each sequence within ContextSize. Unified rather
            // than one stream per sequence because (a) copying a cached prefix between sequences is then metadata
            // only (seq_cp across streams must copy the whole buffer), and (b) llama.cpp splits a multi-stream batch
            // into equal-length per-sequence micro-batches, which on a CPU costs a pass over the weights for each.
            ContextSize = checked((uint)(options.ContextSize * options.ParallelSequences)),
            SeqMax = (uint)options.ParallelSequences,
            KVUnified = true,
            // llama.cpp's default (auto) turns flash attention on for the CPU, whose kernel makes small batches over a
            // long cache slow: measured here on a 4-layer, 32-dim-head model, 16 new tokens after a 1,000-token cached
            // prefix took 26.7 ms with it and 2.6 ms without, a decode step 2.1 ms against 0.6 ms; on the
            // TinyLlama-1.1B shape it made no difference. Prompt-cache hits and batched decoding are such batches.
            FlashAttention = false,
            Threads = options.Threads,
            BatchThreads = options.Threads,
            BatchSize = (uint)options.BatchSize,
            UBatchSize = (uint)Math.Min(options.BatchSize, ModelLoadOptions.DefaultBatchSize),
            GpuLayerCount = 0,
        };

        var mark = LlamaRuntime.ErrorMark;
        LLamaWeights weights;
        try
        {
            var floatProgress = progress is null ? null : new Progress<float>(p => progress.Report(p));
            weights = await LLamaWeights.LoadFromFileAsync(parameters, cancellationToken, floatProgress).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new ModelLoadException(fullPath, LlamaRuntime.DescribeRefusal(mark), ex);
        }

        var adapters = new List<LoraAdapter>();
        LLamaContext? context = null;
        try
        {
            foreach (var adapter in options.Adapters)
                adapters.Add(LoadAdapter(weights, System.IO.Path.GetFullPath(adapter.Path)));

            ChatTemplate template;
            try
            {
                template = ChatTemplate.Resolve(weights.NativeHandle, options.ChatTemplate);
            }
            catch (ArgumentException ex)
            {
                throw new ModelLoadException(fullPath, ex.Message, ex);
            }

            mark = LlamaRuntime.ErrorMark;
            try
            {
                context = weights.CreateContext(parameters);
            }
            catch (Exception ex)
            {
                throw new ModelLoadException(fullPath, "llama.cpp could not create a context for it: " + LlamaRuntime.DescribeRefusal(mark), ex);
            }
            if (adapters.Count > 0)
            {
                var scaled = new (LoraAdapter, float)[adapters.Count];
                for (var i = 0; i < scaled.Length; i++)
                    scaled[i] = (adapters[i], options.Adapters[i].Scale);
                context.NativeHandle.SetLoraAdapters(scaled);
            }
            return new LoadedModel(fullPath, options, weights, context, adapters, template, fileBytes);
        }
        catch
        {
            context?.Dispose();
            foreach (var a in adapters)
                a.Unload();
            weights.Dispose();
            throw;
        }
    }

    private static LoraAdapter LoadAdapter(LLamaWeights weights, string adapterPath)
    {
        var mark = LlamaRuntime.ErrorMark;
        try
        {
            return weights.NativeHandle.LoadLoraFromFile(adapterPath);
        }
        catch (Exception ex)
        {
            throw new ModelLoadException(adapterPath,
                "llama.cpp refused the LoRA adapter (is it an adapter for this base model?): " + LlamaRuntime.DescribeRefusal(mark), ex);
        }
    }

    /// <summary>
    /// Splits text into token ids. <paramref name="addBos"/> prepends BOS when the model asks for one;
    /// <paramref name="parseSpecial"/> reads special-token text (<c>&lt;|im_start|&gt;</c>) as that one token.
    /// </summary>
    public int[] Tokenize(string text, bool addBos = true, bool parseSpecial = true) =>
        MemoryMarshal.Cast<LLamaToken, int>(TokenizeNative(text, addBos, parseSpecial)).ToArray();

    internal LLamaToken[] TokenizeNative(string text, bool addBos, bool parseSpecial)
    {
        ArgumentNullException.ThrowIfNull(text);
        ThrowIfDisposed();
        return Model.Tokenize(text, addBos && Model.Vocab.ShouldAddBOS, parseSpecial, Encoding.UTF8);
    }

    /// <summary>The BOS token id when the model prepends one to prompts; null otherwise.</summary>
    internal int? BosToken => Model.Vocab.ShouldAddBOS && Model.Vocab.BOS is { } bos ? (int)bos : null;

    /// <summary>Turns token ids back into text (special tokens render as nothing).</summary>
    public string Detokenize(IEnumerable<int> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ThrowIfDisposed();
        var decoder = new StreamingTokenDecoder(Encoding.UTF8, Model);
        foreach (var t in tokens)
            decoder.Add(t);
        return decoder.Read();
    }

    private int[] FindEndOfGenerationTokens()
    {
        var vocab = Model.Vocab;
        var found = new List<int>();
        for (var id = 0; id < VocabularySize; id++)
            if (((LLamaToken)id).IsEndOfGeneration(vocab))
                found.Add(id);
        return found.ToArray();
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>
    /// Unloads the model. Generations in progress are cancelled (they end with <see cref="Generation.FinishReason.Cancelled"/>
    /// and their text so far), queued ones fail with <see cref="ObjectDisposedException"/>, and the decode loop is
    /// waited for, so native memory is never freed under a running decode.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        // (_disposing is left undisposed on purpose: callers may still link to its token.)
        _disposing.Cancel();
        _scheduler.Dispose();
        OnDisposing();
        _context.Dispose();
        foreach (var a in _adapters)
            a.Unload();
        _weights.Dispose();
    }

    /// <summary>Hook for other parts of this class (e.g. the embedding context) to free native memory before the weights go.</summary>
    partial void OnDisposing();

    public override string ToString() =>
        $"{System.IO.Path.GetFileName(Path)} (ctx {ContextSize}, {ParallelSequences} parallel, {Options.Threads} threads)";
}
