using Hearth.Inference.Generation;
using Hearth.Server.Serving;

namespace Hearth.Server.OpenAi;

/// <summary>
/// A streamed generation whose first chunk has already been awaited, so that everything that can go wrong before the
/// first token (a prompt that does not fit, a bad option, a full queue) is thrown while a real status code can still
/// be sent. Owns the model lease and the stream: disposing ends both.
/// </summary>
internal sealed class PrimedGeneration : IAsyncDisposable
{
    private readonly IAsyncEnumerator<GenerationChunk> _chunks;
    private readonly ServedModel _served;
    private GenerationChunk? _first;

    private PrimedGeneration(IAsyncEnumerator<GenerationChunk> chunks, ServedModel served, GenerationChunk? first)
    {
        _chunks = chunks;
        _served = served;
        _first = first;
    }

    /// <summary>Starts <paramref name="stream"/> and waits for its first chunk; on failure disposes it (and not the lease, which the caller still owns).</summary>
    public static async Task<PrimedGeneration> StartAsync(IAsyncEnumerable<GenerationChunk> stream, ServedModel served)
    {
        var chunks = stream.GetAsyncEnumerator();
        try
        {
            var first = await chunks.MoveNextAsync().ConfigureAwait(false) ? chunks.Current : null;
            return new PrimedGeneration(chunks, served, first);
        }
        catch
        {
            await chunks.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Every chunk, the first included. Read once.</summary>
    public async IAsyncEnumerable<GenerationChunk> ReadAllAsync()
    {
        if (_first is { } first)
        {
            _first = null;
            yield return first;
        }
        while (await _chunks.MoveNextAsync().ConfigureAwait(false))
            yield return _chunks.Current;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _chunks.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _served.Dispose();
        }
    }
}
