using Hearth.Models.Store;
using Hearth.Models.Tests.Fakes;

namespace Hearth.Models.Tests.Store;

/// <summary>Garbage collection sweeps what killed processes left in tmp/, but never a live file or a resumable download.</summary>
public sealed class StaleTempCleanupTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Leftover(string name, TimeSpan age)
    {
        Directory.CreateDirectory(_temp.Paths.TempDirectory);
        var path = Path.Combine(_temp.Paths.TempDirectory, name);
        File.WriteAllBytes(path, new byte[1000]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    [Fact]
    public async Task OldLeftoversAreDeletedAndCountedAsFreed()
    {
        var staged = Leftover("stage-abc.tmp", TimeSpan.FromHours(3));
        var created = Leftover("create-abc.gguf", TimeSpan.FromDays(2));
        var result = await _temp.Store.CollectGarbageAsync();
        Assert.False(File.Exists(staged));
        Assert.False(File.Exists(created));
        Assert.Equal(2000, result.FreedBytes);
    }

    [Fact]
    public async Task RecentFilesPartialDownloadsAndLocksStay()
    {
        var recent = Leftover("stage-new.tmp", TimeSpan.FromMinutes(5));
        var partial = Leftover("sha256-0123.partial", TimeSpan.FromDays(9));
        var lockFile = Leftover("sha256-0123.lock", TimeSpan.FromDays(9));
        await _temp.Store.CollectGarbageAsync();
        Assert.True(File.Exists(recent));
        Assert.True(File.Exists(partial), "a partial download is kept so the next pull resumes");
        Assert.True(File.Exists(lockFile));
    }

    [Fact]
    public async Task AFileSomeProcessStillHoldsOpenStays()
    {
        var busy = Leftover("quantize-busy.gguf", TimeSpan.FromHours(5));
        await using (new FileStream(busy, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            await _temp.Store.CollectGarbageAsync();
        Assert.True(File.Exists(busy));
    }

    [Fact]
    public async Task RemovingAModelAlsoSweepsLeftovers()
    {
        var file = _temp.File("m.gguf");
        await File.WriteAllBytesAsync(file, TestGguf.Bytes());
        var name = Hearth.Models.Naming.ModelName.Parse("m");
        await _temp.Store.ImportAsync(file, name);
        var old = Leftover("manifest-old.tmp", TimeSpan.FromHours(2));
        await _temp.Store.RemoveAsync(name);
        Assert.False(File.Exists(old));
    }
}
