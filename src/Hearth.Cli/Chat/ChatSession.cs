using Hearth.Inference.Chat;
using Hearth.Inference.Generation;
using Hearth.Inference.Pool;
using Hearth.Inference.Sampling;
using Hearth.Models.Naming;

namespace Hearth.Cli.Chat;

/// <summary>A conversation with one loaded model: the history, the sampling options in force, and the system prompt.</summary>
internal sealed class ChatSession(ModelName name, ModelLease lease, SamplingOptions sampling, string? system, bool verbose, Truncation? truncation)
    : IDisposable
{
    private readonly List<ChatMessage> _history = [];

    public ModelName Name { get; } = name;
    public ModelLease Lease { get; } = lease;
    public SamplingOptions Sampling { get; set; } = sampling;
    public string? System { get; set; } = system;
    public bool Verbose { get; set; } = verbose;

    /// <summary>Explicit truncation chosen by the user; the interactive chat defaults to dropping the oldest turns (and says so).</summary>
    public Truncation? Truncation { get; } = truncation;

    public int Turns => _history.Count;

    public void AddUser(string text) => _history.Add(ChatMessage.User(text));

    public void Clear() => _history.Clear();

    /// <summary>Streams the model's reply to the current history and appends it (unless nothing came back).</summary>
    public async Task<GenerationResult> ReplyAsync(Action<string> onPiece, CancellationToken ct, Truncation fallback = Inference.Generation.Truncation.None)
    {
        var messages = System is { Length: > 0 } s ? _history.Prepend(ChatMessage.System(s)).ToList() : _history.ToList();
        GenerationResult? result = null;
        await foreach (var chunk in Lease.Model.GenerateStreamAsync(Prompt.Chat(messages, Truncation ?? fallback), Sampling, ct))
        {
            if (chunk.Text.Length > 0)
                onPiece(chunk.Text);
            result = chunk.Result ?? result;
        }
        if (result is null)
            throw new InvalidOperationException("generation ended without a result");
        _history.Add(ChatMessage.Assistant(result.Text));
        return result;
    }

    public void Dispose() => Lease.Dispose();
}
