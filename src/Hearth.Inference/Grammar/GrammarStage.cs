using System.Runtime.CompilerServices;
using Hearth.Inference.Runtime;
using Hearth.Inference.Sampling;
using LLama.Native;

namespace Hearth.Inference.Grammar;

/// <summary>
/// llama.cpp's grammar sampler as a stage of a <see cref="SafeLLamaSamplerChainHandle"/>: it sets the logit of every
/// token the grammar does not allow next to −∞, and advances the grammar with each token the chain picks.
/// Wrapped rather than added directly for two reasons. Decode loops feed the prompt's last tokens to the chain with
/// <c>Accept</c> to prime the repetition penalties; those tokens are not output and must not reach the grammar, so
/// accepts before the first <see cref="Apply"/> are ignored. And llama.cpp aborts the process when its grammar is
/// handed a token it does not allow (<c>llama_grammar_accept_impl</c>), which a chain can still pick when the grammar
/// leaves no candidate at all; such a token is not passed on, so the worst case is an invalid reply, not a crash.
/// It also masks what the grammar lets through but the output would not show as matched (see <see cref="TokenPieces"/>):
/// tokens that write nothing (control tokens; end-of-generation aside) and bytes that would break UTF-8.
/// Native callbacks must never throw, so nothing here does.
/// </summary>
internal sealed unsafe class GrammarStage : ICustomSampler
{
    private readonly TokenPieces _pieces;
    private readonly HashSet<int> _endOfGeneration;
    private nint _grammar;
    private bool _armed;
    private bool[] _allowed = [];
    private Utf8State _utf8;

    private GrammarStage(nint grammar, TokenPieces pieces, HashSet<int> endOfGeneration)
    {
        _grammar = grammar;
        _pieces = pieces;
        _endOfGeneration = endOfGeneration;
    }

    public string Name => "hearth-grammar";

    /// <summary>True once the grammar had to let a token through that it did not allow (it left no candidate).</summary>
    public bool Violated { get; private set; }

    /// <summary>A stage for <paramref name="gbnf"/> (root rule <c>root</c>) over <paramref name="model"/>'s vocabulary.</summary>
    /// <exception cref="InvalidSamplingOptionException">llama.cpp cannot parse the grammar.</exception>
    public static GrammarStage Create(SafeLlamaModelHandle model, string gbnf, IReadOnlyList<int> endOfGenerationTokens)
    {
        var mark = LlamaRuntime.ErrorMark;
        var pieces = TokenPieces.For(model);
        var grammar = LlamaGrammarApi.Create(model, gbnf, "root");
        if (grammar == 0)
            throw Invalid(mark);
        return new GrammarStage(grammar, pieces, [.. endOfGenerationTokens]);
    }

    /// <summary>Checks that llama.cpp parses <paramref name="gbnf"/> (root rule <c>root</c>), without a model.</summary>
    /// <exception cref="InvalidSamplingOptionException">It does not, with llama.cpp's reason.</exception>
    public static void Check(string gbnf)
    {
        var mark = LlamaRuntime.ErrorMark;
        var grammar = LlamaGrammarApi.Create(null, gbnf, "root");
        if (grammar == 0)
            throw Invalid(mark);
        LlamaGrammarApi.Free(grammar);
    }

    private static InvalidSamplingOptionException Invalid(long mark) =>
        new("grammar", $"grammar is not valid GBNF with a 'root' rule: {LlamaRuntime.DescribeRefusal(mark)}");

    public void Apply(ref LLamaTokenDataArrayNative candidates)
    {
        if (_grammar == 0)
            return;
        try
        {
            _armed = true;
            LlamaGrammarApi.Apply(_grammar, (LLamaTokenDataArrayNative*)Unsafe.AsPointer(ref candidates));
            var data = candidates.Data;
            var largest = 0;
            foreach (var c in data)
                largest = Math.Max(largest, (int)c.ID);
            if (_allowed.Length <= largest)
                _allowed = new bool[largest + 1];
            else
                Array.Clear(_allowed);
            for (var i = 0; i < data.Length; i++)
            {
                if (float.IsNegativeInfinity(data[i].Logit))
                    continue;
                var id = (int)data[i].ID;
                if (!_endOfGeneration.Contains(id))
                {
                    var piece = _pieces[id];
                    if (piece.IsEmpty || Utf8.Advance(_utf8, piece) == Utf8State.Invalid)
                    {
                        data[i].Logit = float.NegativeInfinity;
                        continue;
                    }
                }
                _allowed[id] = true;
            }
        }
        catch
        {
            Violated = true;
        }
    }

    public void Accept(LLamaToken token)
    {
        if (_grammar == 0 || !_armed)
            return;
        var id = (int)token;
        if (id >= 0 && id < _allowed.Length && _allowed[id])
        {
            LlamaGrammarApi.Accept(_grammar, id);
            _utf8 = Utf8.Advance(_utf8, _pieces[id]);
        }
        else
            Violated = true;
    }

    public void Reset()
    {
        if (_grammar == 0)
            return;
        LlamaGrammarApi.Reset(_grammar);
        _armed = false;
        Violated = false;
        _utf8 = Utf8State.Complete;
    }

    public ICustomSampler Clone() =>
        throw new NotSupportedException("a grammar stage is not cloned: build a new sampler chain for each sequence");

    public void Dispose()
    {
        if (_grammar != 0)
            LlamaGrammarApi.Free(_grammar);
        _grammar = 0;
    }
}
