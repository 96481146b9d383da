using System.Net;
using System.Net.Http.Headers;

namespace Hearth.Models.Pull;

/// <summary>
/// Downloads one file into a partial file, resuming where it stopped: on restart or after a dropped connection it asks
/// for <c>Range: bytes=N-</c> (RFC 9110 §14) and appends. 206 appends, 200 (a server that ignores Range) starts over,
/// 416 means the partial does not fit the file and starts over once. Dropped connections, stalls and 5xx answers are
/// retried with doubling waits. The content is hashed as it streams (an existing partial is re-hashed first) and checked
/// against the published size and digest; on mismatch the partial is deleted.
/// </summary>
internal sealed class ResumableDownloader(HttpClient http, HuggingFaceOptions options)
{
    private const int BufferSize = 1 << 20;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>What the finished file must be.</summary>
    public sealed record Expected(string Label, long Size, string? Sha256, string? GitSha1);

    /// <summary>
    /// Leaves the verified file at <paramref name="partialPath"/> and returns its sha256 (hex). The partial is held open
    /// with <see cref="FileShare.None"/> throughout, so a second writer cannot interleave with this one.
    /// </summary>
    public async Task<string> DownloadAsync(Func<HttpRequestMessage> newRequest, string partialPath, Expected expected,
        IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        using var hasher = new ContentHasher(expected.Size, gitSha1: expected.Sha256 is null);
        string want, got, sha256;
        await using (var file = new FileStream(partialPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, BufferSize, FileOptions.Asynchronous))
        {
            var have = await ResumePartialAsync(file, hasher, expected, progress, cancellationToken).ConfigureAwait(false);
            var resumed = have > 0;
            while (true)
            {
                await FillAsync(newRequest, file, hasher, have, expected, progress, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);

                progress?.Report(new PullProgress("verifying sha256 digest", expected.Size, expected.Size));
                (sha256, var gitSha1) = hasher.Finish();
                (want, got) = expected.Sha256 is { } e256 ? ($"sha256:{e256}", $"sha256:{sha256}") : ($"git-sha1:{expected.GitSha1}", $"git-sha1:{gitSha1}");
                if (string.Equals(want, got, StringComparison.OrdinalIgnoreCase) || !resumed)
                    break;
                // The bytes kept from an earlier run were bad (another tool wrote there, or a disk fault): one fresh download.
                progress?.Report(new PullProgress("the partial download was corrupt; downloading again", 0, expected.Size));
                resumed = false;
                have = Restart(file, hasher);
            }
        }

        if (!string.Equals(want, got, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(partialPath);
            throw new DigestMismatchException(expected.Label, want, got);
        }
        return sha256;
    }

    /// <summary>Requests until the partial holds <see cref="Expected.Size"/> bytes, retrying network failures with doubling waits.</summary>
    private async Task FillAsync(Func<HttpRequestMessage> newRequest, FileStream file, ContentHasher hasher, long have, Expected expected,
        IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        var failures = 0;
        var restartedAfter416 = false;
        while (have < expected.Size)
        {
            var before = have;
            try
            {
                have = await FetchAsync(newRequest, file, hasher, have, expected, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (UnsatisfiableRangeException) when (!restartedAfter416)
            {
                // The server's file is shorter than our partial: the partial belongs to something else. Start over once.
                restartedAfter416 = true;
                have = Restart(file, hasher);
            }
            catch (UnsatisfiableRangeException)
            {
                throw new PullException($"the server holds less of '{expected.Label}' than the {expected.Size} bytes the Hub published (416 on resume); the repo may be changing, try again later");
            }
            catch (TransientDownloadException e)
            {
                have = file.Position; // everything received before the failure is written and hashed: keep it
                if (have > before)
                    failures = 0; // progress was made: only consecutive failures count against the limit
                if (++failures > options.MaxRetries)
                    throw new PullException($"downloading '{expected.Label}' failed {failures} times in a row ({e.Message}); run the pull again to resume from {have} bytes", e.InnerException ?? e);
                var delay = TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, options.RetryDelay.Ticks << Math.Min(failures - 1, 20)));
                progress?.Report(new PullProgress($"{e.Message}; retrying in {delay.TotalSeconds:0.#} s (attempt {failures} of {options.MaxRetries})", have, expected.Size));
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Hashes what an earlier attempt left; returns how many bytes are kept.</summary>
    private static async Task<long> ResumePartialAsync(FileStream file, ContentHasher hasher, Expected expected, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        var have = file.Length;
        if (have > expected.Size)
            return Restart(file, hasher); // longer than the file can be: not ours
        if (have == 0)
            return 0;
        progress?.Report(new PullProgress("verifying partial download", 0, have));
        var buffer = new byte[BufferSize];
        file.Position = 0;
        long done = 0;
        while (done < have)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, have - done)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                break;
            hasher.Append(buffer.AsSpan(0, read));
            done += read;
        }
        file.Position = done;
        return done;
    }

    private static long Restart(FileStream file, ContentHasher hasher)
    {
        file.SetLength(0);
        file.Position = 0;
        hasher.Reset();
        return 0;
    }

    /// <summary>One request: appends what arrives and returns the new length. Network trouble becomes <see cref="TransientDownloadException"/>.</summary>
    private async Task<long> FetchAsync(Func<HttpRequestMessage> newRequest, FileStream file, ContentHasher hasher, long have, Expected expected,
        IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var request = newRequest();
        if (have > 0)
            request.Headers.Range = new RangeHeaderValue(have, null);

        var response = await NetworkAsync(() => http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, idle.Token), idle, cancellationToken).ConfigureAwait(false);

        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.PartialContent:
                    var from = response.Content.Headers.ContentRange?.From;
                    if (from != have)
                    {
                        progress?.Report(new PullProgress($"server resumed at byte {from?.ToString() ?? "?"} instead of {have}; starting over", 0, expected.Size));
                        have = Restart(file, hasher);
                        return have; // ask again without Range
                    }
                    break;
                case HttpStatusCode.OK:
                    if (have > 0)
                    {
                        progress?.Report(new PullProgress("server does not support resuming; starting over", 0, expected.Size));
                        have = Restart(file, hasher);
                    }
                    break;
                case HttpStatusCode.RequestedRangeNotSatisfiable:
                    throw new UnsatisfiableRangeException();
                case HttpStatusCode.NotFound:
                    throw new PullException($"'{expected.Label}' was not found on the server (404); it may have been deleted from the repo");
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    throw new PullException($"the server refused '{expected.Label}' ({(int)response.StatusCode}); for a private or gated repo set {HuggingFaceOptions.TokenVariable}");
                case HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests:
                case >= HttpStatusCode.InternalServerError:
                    throw new TransientDownloadException($"the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
                default:
                    throw new PullException($"the server answered {(int)response.StatusCode} {response.ReasonPhrase} for '{expected.Label}'");
            }

            var buffer = new byte[BufferSize];
            await using var body = await NetworkAsync(() => response.Content.ReadAsStreamAsync(idle.Token), idle, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                // Only the network calls are wrapped: a failing disk write is not worth a retry and must surface as itself.
                var read = await NetworkAsync(() => body.ReadAsync(buffer, idle.Token).AsTask(), idle, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                    break;
                if (have + read > expected.Size)
                    throw new PullException($"the server sent more than the {expected.Size} bytes published for '{expected.Label}'; the repo may have changed, run the pull again");
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                hasher.Append(buffer.AsSpan(0, read));
                have += read;
                progress?.Report(new PullProgress($"pulling {expected.Label}", have, expected.Size));
            }
            if (have < expected.Size)
                throw new TransientDownloadException($"the connection closed after {have} of {expected.Size} bytes");
            return have;
        }
    }

    /// <summary>Runs one network call with the idle timer armed; network failures become <see cref="TransientDownloadException"/>.</summary>
    private async Task<T> NetworkAsync<T>(Func<Task<T>> call, CancellationTokenSource idle, CancellationToken callerToken)
    {
        try
        {
            idle.CancelAfter(options.ReadIdleTimeout);
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (IsNetworkFailure(e, callerToken))
        {
            throw new TransientDownloadException(Describe(e), e);
        }
    }

    /// <summary>Dropped connections (<see cref="HttpIOException"/>, socket errors) and our idle timer, but not the caller's cancellation.</summary>
    private static bool IsNetworkFailure(Exception e, CancellationToken callerToken) => e switch
    {
        HttpRequestException or IOException => true,
        OperationCanceledException => !callerToken.IsCancellationRequested,
        _ => false,
    };

    private static string Describe(Exception e) => e is OperationCanceledException ? "the connection stalled" : "the connection dropped: " + e.Message;

    private sealed class TransientDownloadException(string message, Exception? inner = null) : Exception(message, inner);

    private sealed class UnsatisfiableRangeException() : Exception("416 range not satisfiable");
}
