using Hearth.Inference.Generation;

namespace Hearth.Server.Ollama;

/// <summary>
/// Turns generated text into the lines of one Ollama endpoint (<c>/api/generate</c> or <c>/api/chat</c>): pieces while
/// streaming, whatever is still owed at the end (tool calls), and the final <c>done: true</c> object.
/// </summary>
internal abstract class OllamaReply(string model)
{
    protected string Model { get; } = model;

    /// <summary>Streaming: the lines for one generated piece of text (none while text is held back, e.g. a tool call forming).</summary>
    public abstract IEnumerable<object> Piece(string text);

    /// <summary>Streaming: lines owed after the last piece, before the final object.</summary>
    public abstract IEnumerable<object> Complete();

    /// <summary>The final object; <paramref name="streamed"/> = the text already went out in pieces, so it is not repeated.</summary>
    public abstract object Final(GenerationResult result, OllamaDoneStats stats, bool streamed);

    /// <summary>Ollama's <c>done_reason</c>.</summary>
    protected static string DoneReason(FinishReason reason) => reason switch
    {
        FinishReason.Length => "length",
        _ => "stop",
    };
}

/// <summary><c>/api/generate</c>: <c>{"response": "…"}</c> lines.</summary>
internal sealed class GenerateReply(string model) : OllamaReply(model)
{
    public override IEnumerable<object> Piece(string text) => [new GenerateLine(Model, OllamaJson.Timestamp(), text, false)];

    public override IEnumerable<object> Complete() => [];

    public override object Final(GenerationResult result, OllamaDoneStats stats, bool streamed) =>
        new GenerateLine(Model, OllamaJson.Timestamp(), streamed ? "" : result.Text, true) { DoneReason = DoneReason(result.FinishReason) }
            .WithStats(stats);
}
