using System.Runtime.CompilerServices;
using LLama.Native;

namespace Hearth.Inference.Grammar;

/// <summary>
/// The bytes each token of a vocabulary writes into the output (control tokens write none), computed once per model.
/// The grammar stage needs them because llama.cpp's grammar sees tokens differently in two ways that would let an
/// invalid reply through: it matches control tokens by their text (<c>&lt;|im_start|&gt;</c> inside a JSON string),
/// while the output renders them as nothing; and its UTF-8 decoder reads a stray continuation byte as an ASCII-range
/// character (<c>decode_utf8</c> in <c>src/llama-grammar.cpp</c>), while any real decoder turns it into U+FFFD.
/// </summary>
internal sealed class TokenPieces
{
    private static readonly ConditionalWeakTable<SafeLlamaModelHandle, TokenPieces> Cache = new();

    private readonly byte[][] _pieces;

    private TokenPieces(SafeLlamaModelHandle model)
    {
        var count = model.Vocab.Count;
        _pieces = new byte[count][];
        Span<byte> buffer = stackalloc byte[256];
        for (var id = 0; id < count; id++)
        {
            var length = (int)model.TokenToSpan((LLamaToken)id, buffer, 0, false);
            _pieces[id] = length <= buffer.Length ? buffer[..length].ToArray() : LongPiece(model, id, length);
        }
    }

    public static TokenPieces For(SafeLlamaModelHandle model) => Cache.GetValue(model, m => new TokenPieces(m));

    public int Count => _pieces.Length;

    public ReadOnlySpan<byte> this[int token] => (uint)token < (uint)_pieces.Length ? _pieces[token] : [];

    private static byte[] LongPiece(SafeLlamaModelHandle model, int id, int length)
    {
        var bytes = new byte[length];
        model.TokenToSpan((LLamaToken)id, bytes, 0, false);
        return bytes;
    }
}
