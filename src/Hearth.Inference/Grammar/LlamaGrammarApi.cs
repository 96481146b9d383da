using System.Runtime.InteropServices;
using Hearth.Inference.Runtime;
using LLama.Native;

namespace Hearth.Inference.Grammar;

/// <summary>
/// llama.cpp's grammar sampler, called directly. LLamaSharp's <c>SafeLLamaSamplerChainHandle.AddGrammar</c> adds
/// whatever <c>llama_sampler_init_grammar</c> returns to the chain, and that is NULL for a grammar llama.cpp cannot
/// parse (<c>src/llama-grammar.cpp</c>: parse error, no <c>root</c>, undefined rule, left recursion) — a crash on the
/// first sample. Calling it here lets Hearth check for NULL and raise an error instead. The entry points are looked
/// up in the very library LLamaSharp loaded (through its own import resolver), so both always agree.
/// </summary>
internal static unsafe class LlamaGrammarApi
{
    private static readonly Lazy<Exports> Api = new(Load);

    private sealed class Exports
    {
        public delegate* unmanaged[Cdecl]<nint, byte*, byte*, nint> InitGrammar;
        public delegate* unmanaged[Cdecl]<nint, LLamaTokenDataArrayNative*, void> Apply;
        public delegate* unmanaged[Cdecl]<nint, int, void> Accept;
        public delegate* unmanaged[Cdecl]<nint, void> Reset;
        public delegate* unmanaged[Cdecl]<nint, void> Free;
        public delegate* unmanaged[Cdecl]<nint, nint> ModelVocab;
    }

    private static Exports Load()
    {
        LlamaRuntime.EnsureInitialized();
        // "llama" is LLamaSharp's own import name (NativeApi.libraryName, internal to it).
        var library = NativeLibrary.Load("llama", typeof(NativeApi).Assembly, null);
        return new Exports
        {
            InitGrammar = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, nint>)NativeLibrary.GetExport(library, "llama_sampler_init_grammar"),
            Apply = (delegate* unmanaged[Cdecl]<nint, LLamaTokenDataArrayNative*, void>)NativeLibrary.GetExport(library, "llama_sampler_apply"),
            Accept = (delegate* unmanaged[Cdecl]<nint, int, void>)NativeLibrary.GetExport(library, "llama_sampler_accept"),
            Reset = (delegate* unmanaged[Cdecl]<nint, void>)NativeLibrary.GetExport(library, "llama_sampler_reset"),
            Free = (delegate* unmanaged[Cdecl]<nint, void>)NativeLibrary.GetExport(library, "llama_sampler_free"),
            ModelVocab = (delegate* unmanaged[Cdecl]<nint, nint>)NativeLibrary.GetExport(library, "llama_model_get_vocab"),
        };
    }

    /// <summary>
    /// A grammar sampler for <paramref name="gbnf"/> starting at rule <paramref name="root"/> over the model's vocabulary
    /// (or none, to only check that the grammar parses); zero when llama.cpp refuses the grammar.
    /// </summary>
    public static nint Create(SafeLlamaModelHandle? model, string gbnf, string root)
    {
        var api = Api.Value;
        var vocab = model is null ? 0 : api.ModelVocab(model.DangerousGetHandle());
        var text = Utf8(gbnf);
        var rootText = Utf8(root);
        fixed (byte* g = text)
        fixed (byte* r = rootText)
            return api.InitGrammar(vocab, g, r);
    }

    public static void Apply(nint sampler, LLamaTokenDataArrayNative* candidates) => Api.Value.Apply(sampler, candidates);

    public static void Accept(nint sampler, int token) => Api.Value.Accept(sampler, token);

    public static void Reset(nint sampler) => Api.Value.Reset(sampler);

    public static void Free(nint sampler) => Api.Value.Free(sampler);

    private static byte[] Utf8(string text)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(text) + 1];
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
