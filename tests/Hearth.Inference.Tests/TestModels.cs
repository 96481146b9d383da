using Hearth.Inference.Runtime;

namespace Hearth.Inference.Tests;

internal static class TestModels
{
    /// <summary>512-token context (a multiple of llama.cpp's 256-token KV padding, so it is exact), two threads.</summary>
    public static ModelLoadOptions Options { get; } = new() { ContextSize = 512, Threads = 2 };

    public static Task<LoadedModel> LoadAsync(string path, ModelLoadOptions? options = null) =>
        LoadedModel.LoadAsync(path, options ?? Options);
}
