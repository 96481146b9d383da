using System.Text;
using Hearth.Models.Factory;

namespace Hearth.Inference.Tests;

/// <summary>
/// Model files made once per test run with the model factory (tiny preset: 2 layers, dim 64, 512-token vocab, 512 context),
/// plus variants for the chat template fallbacks, in a temporary folder removed at the end.
/// </summary>
public sealed class ModelFiles : IAsyncLifetime
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "hearth-inference-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>The tiny preset, seed 3, with its ChatML <c>tokenizer.chat_template</c>.</summary>
    public string Tiny => Path.Combine(Folder, "tiny.gguf");

    /// <summary>The same model with the chat template key renamed, so it has no template.</summary>
    public string TinyWithoutTemplate => Path.Combine(Folder, "tiny-no-template.gguf");

    /// <summary>The same model with a chat template llama.cpp does not recognise.</summary>
    public string TinyWithUnknownTemplate => Path.Combine(Folder, "tiny-unknown-template.gguf");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        await ModelFactory.CreateAsync(ModelSpec.Preset("tiny") with { Seed = 3 }, Tiny);
        var bytes = await File.ReadAllBytesAsync(Tiny);
        await File.WriteAllBytesAsync(TinyWithoutTemplate, RenameTemplateKey(bytes));
        await File.WriteAllBytesAsync(TinyWithUnknownTemplate, ReplaceTemplateText(bytes));
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A model still mapped by a test that failed; the temp folder is cleaned by the OS.
        }
        return Task.CompletedTask;
    }

    public string TempPath(string name) => Path.Combine(Folder, name);

    private static readonly byte[] TemplateKey = Encoding.UTF8.GetBytes("tokenizer.chat_template");

    // GGUF metadata entries are: key length (u64), key bytes, value type (u32), value. Renaming the key to another of
    // the same length keeps every offset valid while llama.cpp no longer finds a template.
    private static byte[] RenameTemplateKey(byte[] file)
    {
        var copy = (byte[])file.Clone();
        var at = IndexOf(copy, TemplateKey);
        copy[at + TemplateKey.Length - 1] = (byte)'X';
        return copy;
    }

    // Overwrites the template string's bytes (same length) with text that is no template llama.cpp knows.
    private static byte[] ReplaceTemplateText(byte[] file)
    {
        var copy = (byte[])file.Clone();
        var at = IndexOf(copy, TemplateKey) + TemplateKey.Length;
        var valueType = BitConverter.ToUInt32(copy, at);
        if (valueType != 8)
            throw new InvalidOperationException($"expected a string chat template, found GGUF value type {valueType}");
        var length = (int)BitConverter.ToUInt64(copy, at + 4);
        var text = at + 12;
        var filler = Encoding.ASCII.GetBytes("{{ speak like a pirate }}");
        for (var i = 0; i < length; i++)
            copy[text + i] = i < filler.Length ? filler[i] : (byte)' ';
        return copy;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        var at = haystack.AsSpan().IndexOf(needle);
        if (at < 0)
            throw new InvalidOperationException("the factory model has no tokenizer.chat_template key");
        return at;
    }
}

[CollectionDefinition(Name)]
public sealed class ModelCollection : ICollectionFixture<ModelFiles>
{
    // Tests that run llama.cpp share the model files and run one class at a time: the machine has two cores and
    // LLamaSharp serialises decodes anyway, so parallel classes would only make the timing tests flaky.
    public const string Name = "llama.cpp models";
}
