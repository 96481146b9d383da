using System.Text;
using Hearth.Inference.Chat;
using Hearth.Inference.Generation;
using Hearth.Inference.Runtime;
using Hearth.Inference.Sampling;

namespace Hearth.Inference.Tests.Scheduling;

/// <summary>Shared pieces of the scheduler tests: load options, prompts, and a way to line requests up deterministically.</summary>
internal static class SchedulerTestKit
{
    public static ModelLoadOptions Parallel(int sequences, int maxQueued = ModelLoadOptions.DefaultMaxQueuedRequests) =>
        TestModels.Options with { ParallelSequences = sequences, MaxQueuedRequests = maxQueued };

    public static SamplingOptions Greedy(int maxTokens) => SamplingOptions.Greedy with { MaxTokens = maxTokens, IgnoreEos = true };

    public static Prompt Ask(string question, string? system = null) =>
        Prompt.Chat(system is null ? [ChatMessage.User(question)] : [ChatMessage.System(system), ChatMessage.User(question)]);

    /// <summary>
    /// Holds the model's decode loop (exclusive work that blocks) until disposed. Requests submitted meanwhile wait in
    /// the queue and are all admitted in the same pass once it ends, so they share batches from their first step on.
    /// </summary>
    public static async Task<IAsyncDisposable> HoldLoopAsync(LoadedModel model)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new ManualResetEventSlim();
        var held = model.RunExclusiveAsync(_ =>
        {
            started.SetResult();
            release.Wait();
            return 0;
        });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return new Hold(release, held);
    }

    private sealed class Hold(ManualResetEventSlim release, Task held) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            release.Set();
            await held;
            release.Dispose();
        }
    }

    /// <summary>Reads a whole stream: its text and its final result.</summary>
    public static async Task<(string Text, GenerationResult Result)> CollectAsync(IAsyncEnumerable<GenerationChunk> stream)
    {
        var text = new StringBuilder();
        GenerationResult? result = null;
        await foreach (var chunk in stream)
        {
            text.Append(chunk.Text);
            result = chunk.Result ?? result;
        }
        return (text.ToString(), result ?? throw new InvalidOperationException("the stream ended without a final chunk"));
    }
}
