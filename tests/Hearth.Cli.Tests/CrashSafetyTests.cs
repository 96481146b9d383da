using System.Diagnostics;
using Hearth.Models.Tests.Fakes;

namespace Hearth.Cli.Tests;

/// <summary>Real <c>hearth</c> processes killed mid-work, and several running at once: the store stays consistent.</summary>
public sealed class CrashSafetyTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task AKilledPullLeavesNothingInTheStoreAndTheNextPullResumes()
    {
        // 3 MiB at 1 KiB per delayed chunk: several seconds, and past the downloader's 1 MiB write buffer so data reaches disk.
        await using var hub = new FakeHuggingFaceServer { ChunkDelay = TimeSpan.FromMilliseconds(1) };
        var content = TestGguf.Bytes(seed: 8, elements: 768 * 1024);
        hub.AddRepo("acme/slow-GGUF", new FakeFile("slow.Q4_0.gguf", content));
        _cli.Variables["HEARTH_HF_ENDPOINT"] = hub.Endpoint.ToString();
        var tmp = Path.Combine(_cli.Home, "models", "tmp");

        using (var pull = StartProcess("pull", "hf.co/acme/slow-GGUF"))
        {
            var deadline = Stopwatch.StartNew();
            while (PartialBytes(tmp) < 1024 * 1024 && deadline.Elapsed < TimeSpan.FromSeconds(60) && !pull.HasExited)
                await Task.Delay(20);
            Assert.False(pull.HasExited, "the pull finished before it could be killed; slow the fake hub down");
            pull.Kill(entireProcessTree: true); // as kill -9 would: no chance to clean up
            await pull.WaitForExitAsync();
        }

        var partial = PartialBytes(tmp);
        Assert.InRange(partial, 1024 * 1024, content.Length - 1);
        Assert.DoesNotContain("slow", (await _cli.RunAsync("list")).Out);

        hub.ChunkDelay = TimeSpan.Zero;
        var resumed = await _cli.RunAsync("pull", "hf.co/acme/slow-GGUF", "--json");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains(TestGguf.Digest(content), resumed.Out);
        // The second download asked only for what was missing.
        Assert.Contains(hub.Log, l => l.Contains($" bytes={partial}-", StringComparison.Ordinal) || IsResumeFrom(l, partial));
    }

    [Fact]
    public async Task ConcurrentProcessesNeverCorruptTheStore()
    {
        Assert.Equal(0, (await _cli.RunAsync("create", "base")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("create", "gone", "--seed", "99")).ExitCode);
        var jobs = new List<Task<CliResult>>();
        for (var i = 0; i < 3; i++)
        {
            jobs.Add(_cli.RunProcessAsync(null, "create", $"made{i}", "--seed", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            jobs.Add(_cli.RunProcessAsync(null, "cp", "base", $"copy{i}"));
        }
        jobs.Add(_cli.RunProcessAsync(null, "rm", "gone")); // garbage collection racing the writers
        var results = await Task.WhenAll(jobs);
        foreach (var r in results)
            Assert.True(r.ExitCode == 0, r.ToString());

        // Every manifest that exists points at blobs that exist and hash correctly; no blob is orphaned; no temp file remains.
        var list = await _cli.RunAsync("list", "--json");
        foreach (var i in Enumerable.Range(0, 3))
        {
            Assert.Contains($"made{i}:latest", list.Out);
            Assert.Contains($"copy{i}:latest", list.Out);
            Assert.Equal(0, (await _cli.RunAsync("run", $"copy{i}", "hi", "--max-tokens", "2")).ExitCode);
        }
        var blobs = Directory.GetFiles(Path.Combine(_cli.Home, "models", "blobs"));
        Assert.DoesNotContain("gone", list.Out);
        Assert.Equal(4, blobs.Length); // base (shared by its copies) + three new seeds; 'gone' was collected
        foreach (var blob in blobs)
            Assert.Equal(Path.GetFileName(blob), "sha256-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(blob))));
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(_cli.Home, "models", "tmp")), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    private static bool IsResumeFrom(string logLine, long partial)
    {
        // "GET /cdn/... bytes=N- -> 206": N may be below the partial size if the last chunk was not flushed before the kill.
        var at = logLine.IndexOf(" bytes=", StringComparison.Ordinal);
        return at >= 0 && logLine.EndsWith("-> 206", StringComparison.Ordinal) &&
               long.TryParse(logLine[(at + 7)..].Split('-')[0], out var from) && from > 0 && from <= partial;
    }

    private static long PartialBytes(string tmp) =>
        Directory.Exists(tmp) ? Directory.GetFiles(tmp, "*.partial").Sum(f => new FileInfo(f).Length) : 0;

    private Process StartProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hearth.dll"));
        foreach (var a in args)
            start.ArgumentList.Add(a);
        foreach (var (k, v) in _cli.Variables)
            start.Environment[k] = v;
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
