using Hearth.Gguf;
using Hearth.Models.Naming;
using Hearth.Models.Pull;
using Hearth.Models.Store;
using Hearth.Models.Tests.Fakes;

namespace Hearth.Models.Tests.Pull;

public sealed class HuggingFacePullerTests : IAsyncLifetime
{
    private readonly TempStore _temp = new();
    private readonly FakeHuggingFaceServer _hub = new();
    private readonly HttpClient _http = new();
    private readonly List<PullProgress> _progress = [];
    private readonly byte[] _q4 = TestGguf.Bytes(seed: 4, elements: 2048);
    private readonly byte[] _q8 = TestGguf.Bytes(seed: 8, elements: 2048);

    public Task InitializeAsync()
    {
        _hub.AddRepo("owner/repo",
            new FakeFile("README.md", "# readme"u8.ToArray(), Lfs: false),
            new FakeFile("model.Q4_0.gguf", _q4),
            new FakeFile("model.Q8_0.gguf", _q8));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _hub.DisposeAsync();
        _temp.Dispose();
    }

    private HuggingFacePuller Puller(ModelStore? store = null) =>
        new(store ?? _temp.Store, _http, new HuggingFaceOptions { Endpoint = _hub.Endpoint, RetryDelay = TimeSpan.FromMilliseconds(10), Token = "hf_test" });

    private Task<ModelManifest> PullAsync(string reference, ModelName? name = null) =>
        Puller().PullAsync(ModelReference.Parse(reference), name, new InlineRecorder(_progress));

    private sealed class InlineRecorder(List<PullProgress> log) : IProgress<PullProgress>
    {
        public void Report(PullProgress value)
        {
            lock (log)
                log.Add(value);
        }
    }

    [Fact]
    public async Task PullsTheRequestedQuantFollowingTheCdnRedirect()
    {
        var manifest = await PullAsync("hf.co/owner/repo:q8_0");

        Assert.Equal("owner/repo:q8_0", manifest.Name.ToString());
        Assert.Equal(TestGguf.Digest(_q8), manifest.Model.Digest);
        Assert.Equal(_q8, File.ReadAllBytes(_temp.Store.GetModelPath(manifest.Name)));
        Assert.Equal("hf:owner/repo/model.Q8_0.gguf@main", manifest.Source);
        Assert.Equal("apache-2.0", manifest.License);
        Assert.Contains(_hub.Log, l => l.StartsWith("GET /owner/repo/resolve/main/model.Q8_0.gguf -> 302", StringComparison.Ordinal));
        Assert.Contains(_hub.Log, l => l.StartsWith("GET /cdn/owner/repo/model.Q8_0.gguf -> 200", StringComparison.Ordinal));
        Assert.Empty(_temp.TempFiles());
        Assert.Equal("success", _progress[^1].Status);
        Assert.Contains(_progress, p => p.Total == _q8.Length && p.Completed == _q8.Length);
    }

    [Fact]
    public async Task SendsTheTokenToTheHubButNotToTheRedirectTarget()
    {
        await PullAsync("hf.co/owner/repo:Q4_0");

        Assert.Contains(_hub.Authorizations, a => a.Path.StartsWith("/api/models/", StringComparison.Ordinal) && a.Authorization == "Bearer hf_test");
        Assert.Contains(_hub.Authorizations, a => a.Path.Contains("/resolve/", StringComparison.Ordinal) && a.Authorization == "Bearer hf_test");
    }

    [Fact]
    public async Task NamesTheAvailableQuantsWhenNoneMatches()
    {
        var ex = await Assert.ThrowsAsync<FileSelectionException>(() => PullAsync("hf.co/owner/repo:Q5_K_M"));

        Assert.Equal("no GGUF file matching Q5_K_M in owner/repo; available: Q4_0, Q8_0 (use 'hf.co/owner/repo:QUANT')", ex.Message);
        Assert.Empty(_temp.Blobs());
    }

    [Fact]
    public async Task DefaultsToQ4KMAndFallsBackToTheOnlyGguf()
    {
        _hub.AddRepo("solo/one", new FakeFile("weights/only-model.gguf", _q4));

        var manifest = await PullAsync("huggingface.co/solo/one");

        Assert.Equal("solo/one:latest", manifest.Name.ToString());
        Assert.Equal("hf:solo/one/weights/only-model.gguf@main", manifest.Source);
    }

    [Fact]
    public async Task UnknownRepoIsReportedAsNotFound()
    {
        var ex = await Assert.ThrowsAsync<RepositoryNotFoundException>(() => PullAsync("hf.co/nobody/nothing"));

        Assert.Contains("'nobody/nothing' not found", ex.Message);
        Assert.Contains("HF_TOKEN", ex.Message);
    }

    [Fact]
    public async Task PullsAFileInASubfolderAtARevision()
    {
        _hub.AddRepo("org/deep", new FakeFile("sub/dir/Deep-Q8_0.gguf", _q8));

        var manifest = await PullAsync("hf:org/deep/sub/dir/Deep-Q8_0.gguf@v1.0");

        Assert.Equal("org/deep:q8_0", manifest.Name.ToString());
        Assert.Equal("hf:org/deep/sub/dir/Deep-Q8_0.gguf@v1.0", manifest.Source);
        Assert.Contains(_hub.Log, l => l.StartsWith("GET /api/models/org/deep/tree/v1.0", StringComparison.Ordinal));
        Assert.Contains(_hub.Log, l => l.StartsWith("GET /org/deep/resolve/v1.0/sub/dir/Deep-Q8_0.gguf", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MissingFileListsTheGgufFilesThere()
    {
        var ex = await Assert.ThrowsAsync<FileSelectionException>(() => PullAsync("hf:owner/repo/model.Q2_K.gguf"));

        Assert.Contains("file 'model.Q2_K.gguf' not found in owner/repo", ex.Message);
        Assert.Contains("model.Q4_0.gguf, model.Q8_0.gguf", ex.Message);
    }

    [Fact]
    public async Task ResumesAfterTheConnectionDropsMidBody()
    {
        _hub.DropAfterBytes = 3000;
        _hub.DropNextDownloads(1);

        var manifest = await PullAsync("hf.co/owner/repo:Q8_0");

        Assert.Equal(TestGguf.Digest(_q8), manifest.Model.Digest);
        Assert.Contains(_hub.Log, l => l == "GET /cdn/owner/repo/model.Q8_0.gguf -> -200");
        Assert.Contains(_hub.Log, l => l == "GET /cdn/owner/repo/model.Q8_0.gguf bytes=3000- -> 206");
        Assert.Contains(_progress, p => p.Status.Contains("retrying", StringComparison.Ordinal));
        Assert.Empty(_temp.TempFiles());
    }

    [Fact]
    public async Task GivesUpAfterTheRetryLimitWithoutTouchingTheStore()
    {
        _hub.DropAfterBytes = 0; // every attempt fails before any progress
        _hub.DropNextDownloads(100);
        var puller = new HuggingFacePuller(_temp.Store, _http, new HuggingFaceOptions { Endpoint = _hub.Endpoint, MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(5) });

        var ex = await Assert.ThrowsAsync<PullException>(() => puller.PullAsync(ModelReference.Parse("hf.co/owner/repo:Q8_0")));

        Assert.Contains("failed 3 times in a row", ex.Message);
        Assert.Equal(3, _hub.CdnRequests);
        Assert.Empty(_temp.Manifests());
        Assert.Empty(_temp.Blobs());
    }

    [Fact]
    public async Task ResumesAPartialLeftByAnEarlierRun()
    {
        var partial = Path.Combine(_temp.Paths.TempDirectory, $"sha256-{TestGguf.Sha256Hex(_q8)}.partial");
        Directory.CreateDirectory(_temp.Paths.TempDirectory);
        File.WriteAllBytes(partial, _q8[..5000]);

        var manifest = await PullAsync("hf.co/owner/repo:Q8_0");

        Assert.Equal(TestGguf.Digest(_q8), manifest.Model.Digest);
        Assert.Contains(_hub.Log, l => l == "GET /cdn/owner/repo/model.Q8_0.gguf bytes=5000- -> 206");
        Assert.DoesNotContain(_hub.Log, l => l == "GET /cdn/owner/repo/model.Q8_0.gguf -> 200");
    }

    [Fact]
    public async Task ReplacesACorruptPartialWithAFreshDownload()
    {
        var partial = Path.Combine(_temp.Paths.TempDirectory, $"sha256-{TestGguf.Sha256Hex(_q8)}.partial");
        Directory.CreateDirectory(_temp.Paths.TempDirectory);
        File.WriteAllBytes(partial, new byte[_q8.Length]); // full length, wrong bytes: nothing to resume

        var manifest = await PullAsync("hf.co/owner/repo:Q8_0");

        Assert.Equal(TestGguf.Digest(_q8), manifest.Model.Digest);
        Assert.Contains(_progress, p => p.Status.Contains("partial download was corrupt", StringComparison.Ordinal));
        Assert.Contains(_hub.Log, l => l == "GET /cdn/owner/repo/model.Q8_0.gguf -> 200");
    }

    [Fact]
    public async Task StartsOverWhenTheServerIgnoresRange()
    {
        _hub.IgnoreRange = true;
        var partial = Path.Combine(_temp.Paths.TempDirectory, $"sha256-{TestGguf.Sha256Hex(_q8)}.partial");
        Directory.CreateDirectory(_temp.Paths.TempDirectory);
        File.WriteAllBytes(partial, _q8[..5000]);

        var manifest = await PullAsync("hf.co/owner/repo:Q8_0");

        Assert.Equal(_q8, File.ReadAllBytes(_temp.Store.GetBlobPath(manifest.Model.Digest)));
        Assert.Contains(_hub.Log, l => l == "GET /cdn/owner/repo/model.Q8_0.gguf bytes=5000- -> 200");
        Assert.Contains(_progress, p => p.Status.Contains("does not support resuming", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongChecksumFailsAndLeavesTheStoreUntouched()
    {
        var wrong = new string('a', 64);
        _hub.AddRepo("bad/repo", new FakeFile("model-Q4_K_M.gguf", _q4, PublishedSha256: wrong));

        var ex = await Assert.ThrowsAsync<DigestMismatchException>(() => PullAsync("hf.co/bad/repo"));

        Assert.Equal($"sha256:{wrong}", ex.Expected);
        Assert.Equal(TestGguf.Digest(_q4), ex.Actual);
        Assert.Contains($"expected sha256:{wrong}, got {TestGguf.Digest(_q4)}", ex.Message);
        Assert.Empty(_temp.Blobs());
        Assert.Empty(_temp.Manifests());
        Assert.DoesNotContain(_temp.TempFiles(), f => f.EndsWith(".partial", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefusesAFileThatIsNotGguf()
    {
        var notGguf = new byte[4096];
        _hub.AddRepo("odd/repo", new FakeFile("fake-Q4_K_M.gguf", notGguf));

        var ex = await Assert.ThrowsAsync<PullException>(() => PullAsync("hf.co/odd/repo"));

        Assert.Contains("is not a valid GGUF file", ex.Message);
        Assert.IsType<GgufFormatException>(ex.InnerException);
        Assert.Empty(_temp.Blobs());
        Assert.Empty(_temp.Manifests());
        Assert.DoesNotContain(_temp.TempFiles(), f => f.EndsWith(".partial", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifiesFilesOutsideLfsByTheirGitBlobId()
    {
        _hub.AddRepo("small/repo", new FakeFile("tiny.Q8_0.gguf", _q8, Lfs: false));

        var manifest = await PullAsync("hf.co/small/repo:Q8_0");
        Assert.Equal(TestGguf.Digest(_q8), manifest.Model.Digest);

        _hub.AddRepo("small/bad", new FakeFile("tiny.Q8_0.gguf", _q8, Lfs: false, PublishedGitOid: new string('b', 40)));
        var ex = await Assert.ThrowsAsync<DigestMismatchException>(() => PullAsync("hf.co/small/bad:Q8_0"));
        Assert.StartsWith("git-sha1:", ex.Expected);
    }

    [Fact]
    public async Task TakesTheLicenceFromTheModelCardWhenTheGgufHasNone()
    {
        var unlicensed = TestGguf.Bytes(seed: 9, license: null);
        _hub.AddRepo("card/repo", new FakeFile("m-Q4_K_M.gguf", unlicensed));
        _hub.CardLicenses["card/repo"] = "mit";

        var manifest = await PullAsync("hf.co/card/repo");

        Assert.Equal("mit", manifest.License);
    }

    [Fact]
    public async Task FollowsTreePagination()
    {
        _hub.TreePageSize = 1;

        var manifest = await PullAsync("hf.co/owner/repo:Q8_0");

        Assert.Equal(TestGguf.Digest(_q8), manifest.Model.Digest);
        Assert.Contains(_hub.Log, l => l.StartsWith("GET /api/models/owner/repo/tree/main -> 200", StringComparison.Ordinal));
        Assert.True(_hub.Log.Count(l => l.StartsWith("GET /api/models/owner/repo/tree/main", StringComparison.Ordinal)) >= 3);
    }

    [Fact]
    public async Task ConcurrentPullsOfOneFileDownloadItOnce()
    {
        _hub.ChunkDelay = TimeSpan.FromMilliseconds(2);
        var a = Puller(_temp.NewInstance()).PullAsync(ModelReference.Parse("hf.co/owner/repo:Q8_0"));
        var b = Puller(_temp.NewInstance()).PullAsync(ModelReference.Parse("hf.co/owner/repo:Q8_0"), ModelName.Parse("copy:q8"));

        var results = await Task.WhenAll(a, b);

        Assert.All(results, m => Assert.Equal(TestGguf.Digest(_q8), m.Model.Digest));
        Assert.Equal(1, _hub.CdnRequests);
        Assert.Single(_temp.Blobs());
        Assert.Equal(2, _temp.Store.List().Count);
    }

    [Fact]
    public async Task PullingAgainReusesTheStoredBlob()
    {
        await PullAsync("hf.co/owner/repo:Q8_0");
        var manifest = await PullAsync("hf.co/owner/repo:Q8_0", ModelName.Parse("again"));

        Assert.Equal(1, _hub.CdnRequests);
        Assert.Equal("again:latest", manifest.Name.ToString());
        Assert.Contains(_progress, p => p.Status.StartsWith("already have sha256:", StringComparison.Ordinal));
    }
}
