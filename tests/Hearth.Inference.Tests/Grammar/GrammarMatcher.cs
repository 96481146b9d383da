using System.Text;
using Hearth.Inference.Grammar;
using LLama.Native;

namespace Hearth.Inference.Tests.Grammar;

/// <summary>
/// Asks llama.cpp's own grammar engine whether it accepts a text: the text is fed as the factory vocabulary's byte
/// tokens (<c>&lt;0xXX&gt;</c>, ids 5‥260), each one first checked against what the grammar allows next, and at the end
/// the grammar must allow end-of-generation (it is complete).
/// </summary>
internal static unsafe class GrammarMatcher
{
    private const int FirstByteToken = 5;
    private const int EndOfSequence = 2;

    public static bool Accepts(SafeLlamaModelHandle model, string gbnf, string text)
    {
        var grammar = LlamaGrammarApi.Create(model, gbnf, "root");
        Assert.NotEqual(0, grammar);
        try
        {
            foreach (var b in Encoding.UTF8.GetBytes(text))
            {
                if (!Allows(grammar, FirstByteToken + b))
                    return false;
                LlamaGrammarApi.Accept(grammar, FirstByteToken + b);
            }
            return Allows(grammar, EndOfSequence);
        }
        finally
        {
            LlamaGrammarApi.Free(grammar);
        }
    }

    private static bool Allows(nint grammar, int token)
    {
        var data = new LLamaTokenData[] { new((LLamaToken)token, 0f, 0f) };
        using (LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(data), out var array))
            LlamaGrammarApi.Apply(grammar, &array);
        return !float.IsNegativeInfinity(data[0].Logit);
    }
}
