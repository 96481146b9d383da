using Hearth.Inference.Runtime;
using LLama;

namespace Hearth.Inference.Quantization;

/// <summary>
/// Re-quantizes a GGUF model with llama.cpp's own quantizer (<c>llama_model_quantize</c>, through LLamaSharp's
/// <see cref="LLamaQuantizer"/>). The output is written to a temporary name beside the destination and renamed into
/// place, so a failed or cancelled run never leaves a half-written model where a reader would trust it.
/// </summary>
public static class GgufQuantizer
{
    /// <summary>
    /// Quantizes <paramref name="source"/> to <paramref name="destination"/> as <paramref name="type"/> (see
    /// <see cref="QuantizationTypes.Names"/>). Tensors whose rows do not fit the type's block size are given a
    /// compatible type by llama.cpp (as <c>llama-quantize</c> does). llama.cpp reports no progress while it works, so
    /// progress is 0 at the start and 1 at the end; cancellation is honoured before it starts and discards the output
    /// if requested meanwhile.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown <paramref name="type"/> (the message lists the valid ones).</exception>
    /// <exception cref="ModelLoadException">The source is missing or not GGUF, or llama.cpp cannot quantize it.</exception>
    public static async Task QuantizeAsync(string source, string destination, string type, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        var fileType = QuantizationTypes.Parse(type);
        var src = Path.GetFullPath(source);
        var dst = Path.GetFullPath(destination);
        if (src == dst)
            throw new ArgumentException($"destination '{destination}' is the source; quantize to a new file", nameof(destination));
        ModelFile.Check(src);
        cancellationToken.ThrowIfCancellationRequested();
        LlamaRuntime.EnsureInitialized();

        var folder = Path.GetDirectoryName(dst)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(dst)}.{Guid.NewGuid():N}.tmp");
        progress?.Report(0);
        try
        {
            var mark = LlamaRuntime.ErrorMark;
            var ok = await Task.Run(() => LLamaQuantizer.Quantize(src, temp, fileType, Environment.ProcessorCount,
                allowRequantize: true, quantizeOutputTensor: true), CancellationToken.None).ConfigureAwait(false);
            if (!ok || !File.Exists(temp))
                throw new ModelLoadException(src, $"quantizing to {type.Trim().ToLowerInvariant()} failed: {LlamaRuntime.DescribeRefusal(mark)}");
            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, dst, overwrite: true);
            progress?.Report(1);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }
}
