using Hearth.Gguf;
using Hearth.Models.Naming;
using Hearth.Models.Store;
using Hearth.Models.Tests.Fakes;

namespace Hearth.Models.Tests.Store;

public sealed class ModelStoreTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private ModelStore Store => _temp.Store;

    private static ModelName N(string text) => ModelName.Parse(text);

    private async Task<ModelManifest> ImportAsync(string name, int seed = 1, ImportOptions? options = null)
    {
        var path = TestGguf.Write(_temp.File($"src-{seed}-{Guid.NewGuid():N}.gguf"), seed);
        return await Store.ImportAsync(path, N(name), options);
    }

    [Fact]
    public async Task ImportStoresTheFileAsABlobNamedByItsSha256()
    {
        var bytes = TestGguf.Bytes(seed: 3);
        var source = _temp.File("model.gguf");
        File.WriteAllBytes(source, bytes);

        var manifest = await Store.ImportAsync(source, N("TinyLlama"));

        Assert.Equal("tinyllama:latest", manifest.Name.ToString());
        Assert.Equal(TestGguf.Digest(bytes), manifest.Model.Digest);
        Assert.Equal(bytes.Length, manifest.Model.Size);
        Assert.Equal("apache-2.0", manifest.License);
        Assert.Equal("import:" + source, manifest.Source);
        var blob = Store.GetModelPath(N("tinyllama"));
        Assert.Equal(Path.Combine(_temp.Paths.BlobsDirectory, "sha256-" + TestGguf.Sha256Hex(bytes)), blob);
        Assert.Equal(bytes, File.ReadAllBytes(blob));
        Assert.True(File.Exists(source));
        Assert.True(File.Exists(Path.Combine(_temp.Paths.ManifestsDirectory, "tinyllama", "latest.json")));
        Assert.Empty(_temp.TempFiles());
    }

    [Fact]
    public async Task ImportRejectsANonGgufFileAndAddsNothing()
    {
        var source = _temp.File("notes.txt");
        File.WriteAllText(source, "this is not a model, just some text that is long enough");

        var ex = await Assert.ThrowsAsync<GgufFormatException>(() => Store.ImportAsync(source, N("notes")));

        Assert.Contains(source, ex.Message);
        Assert.Empty(_temp.Blobs());
        Assert.Empty(_temp.Manifests());
        Assert.Empty(_temp.TempFiles());
    }

    [Fact]
    public async Task ImportOfAMissingFileSaysWhichFile()
    {
        var ex = await Assert.ThrowsAsync<FileNotFoundException>(() => Store.ImportAsync(_temp.File("nope.gguf"), N("x")));
        Assert.Contains("nope.gguf", ex.Message);
    }

    [Fact]
    public async Task ImportWithMoveSourceTakesTheFileOver()
    {
        var source = TestGguf.Write(_temp.File("handover.gguf"), seed: 5);
        var progress = new List<StoreProgress>();

        var manifest = await Store.ImportAsync(source, N("moved"), new ImportOptions { MoveSource = true, Source = "create:tiny seed=5" },
            new InlineProgressRecorder<StoreProgress>(progress));

        Assert.False(File.Exists(source));
        Assert.True(File.Exists(Store.GetModelPath(N("moved"))));
        Assert.Equal("create:tiny seed=5", manifest.Source);
        Assert.Equal("success", progress[^1].Status);
    }

    [Fact]
    public async Task TheSameContentUnderTwoNamesSharesOneBlob()
    {
        await ImportAsync("a", seed: 1);
        await ImportAsync("b:v2", seed: 1);

        Assert.Single(_temp.Blobs());
        Assert.Equal(["a:latest", "b:v2"], Store.List().Select(e => e.Name.ToString()));
    }

    [Fact]
    public async Task UnknownModelSuggestsCloseNames()
    {
        await ImportAsync("tinyllama");
        await ImportAsync("phi3:mini", seed: 2);

        var ex = Assert.Throws<ModelNotFoundException>(() => Store.Get(N("tinylama")));

        Assert.Equal("model 'tinylama' not found; did you mean 'tinyllama:latest'?", ex.Message);
        Assert.False(Store.TryGet(N("tinylama"), out _));
    }

    [Fact]
    public async Task UnknownTagSuggestsTheTagsThatExist()
    {
        await ImportAsync("phi3:mini");

        var ex = Assert.Throws<ModelNotFoundException>(() => Store.GetModelPath(N("phi3")));

        Assert.Equal("model 'phi3' not found; did you mean 'phi3:mini'?", ex.Message);
    }

    [Fact]
    public void UnknownModelInAnEmptyStoreSaysHowToGetOne()
    {
        var ex = Assert.Throws<ModelNotFoundException>(() => Store.Get(N("llama3")));
        Assert.Contains("'hearth pull'", ex.Message);
    }

    [Fact]
    public async Task RemoveDeletesTheManifestAndOnlyBlobsNoOneElseUses()
    {
        await ImportAsync("keep", seed: 1);
        await ImportAsync("shared", seed: 1);
        var alone = await ImportAsync("alone", seed: 2);

        var first = await Store.RemoveAsync(N("shared"));
        Assert.Empty(first.DeletedBlobs);
        var second = await Store.RemoveAsync(N("alone"));

        Assert.Equal([alone.Model.Digest], second.DeletedBlobs);
        Assert.Equal(alone.Model.Size, second.FreedBytes);
        Assert.Single(_temp.Blobs());
        Assert.Equal(["keep:latest"], Store.List().Select(e => e.Name.ToString()));
        Assert.False(Directory.Exists(Path.Combine(_temp.Paths.ManifestsDirectory, "alone")));
        await Assert.ThrowsAsync<ModelNotFoundException>(() => Store.RemoveAsync(N("alone")));
    }

    [Fact]
    public async Task CopyGivesASecondNameThatSurvivesRemovingTheFirst()
    {
        var original = await ImportAsync("base:v1");

        var copy = await Store.CopyAsync(N("base:v1"), N("team/base:prod"));
        await Store.RemoveAsync(N("base:v1"));

        Assert.Equal("team/base:prod", copy.Name.ToString());
        Assert.Equal(original.Model.Digest, Store.Get(N("team/base:prod")).Model.Digest);
        Assert.True(File.Exists(Store.GetModelPath(N("team/base:prod"))));
        Assert.True(File.Exists(Path.Combine(_temp.Paths.ManifestsDirectory, "team", "base", "prod.json")));
    }

    [Fact]
    public async Task ListReportsAnUnreadableManifestInsteadOfHidingIt()
    {
        await ImportAsync("good");
        var brokenPath = Path.Combine(_temp.Paths.ManifestsDirectory, "broken", "latest.json");
        Directory.CreateDirectory(Path.GetDirectoryName(brokenPath)!);
        File.WriteAllText(brokenPath, "{ not json");

        var list = Store.List();

        Assert.Equal(2, list.Count);
        Assert.Null(list.Single(e => e.Name.Model == "good").Problem);
        Assert.Contains("invalid manifest", list.Single(e => e.Name.Model == "broken").Problem);
    }

    [Fact]
    public async Task GarbageCollectionKeepsBlobsWhileAManifestIsUnreadable()
    {
        await ImportAsync("victim", seed: 1);
        var path = Store.ManifestPath(N("victim"));
        File.WriteAllText(path, "{ damaged");
        await ImportAsync("other", seed: 2);
        await Store.RemoveAsync(N("other"));

        var result = await Store.CollectGarbageAsync();

        Assert.Empty(result.DeletedBlobs);
        Assert.Contains("could not be read", result.SkippedReason);
        Assert.Equal(2, _temp.Blobs().Length);
    }

    [Fact]
    public async Task SaveManifestRefusesABlobThatIsNotInTheStore()
    {
        var manifest = new ModelManifest { Name = N("ghost"), Model = new BlobReference("sha256:" + new string('c', 64), 10) };

        var ex = await Assert.ThrowsAsync<ModelStoreException>(() => Store.SaveManifestAsync(manifest));

        Assert.Contains("not in the store", ex.Message);
        Assert.Empty(_temp.Manifests());
    }

    [Fact]
    public async Task StagedBlobsLandWithTheirManifestAndUncommittedOnesAreDeleted()
    {
        var model = TestGguf.Write(_temp.File("m.gguf"), seed: 1);
        var adapter = _temp.File("adapter.bin");
        File.WriteAllBytes(adapter, [1, 2, 3, 4]);
        using var stagedModel = await Store.StageBlobAsync(model);
        using var stagedAdapter = await Store.StageBlobAsync(adapter);
        using var unused = await Store.StageBlobAsync(adapter);
        var manifest = new ModelManifest
        {
            Name = N("tuned"),
            Model = new BlobReference(stagedModel.Digest, stagedModel.Size),
            Adapters = [new AdapterReference(stagedAdapter.Digest, stagedAdapter.Size, 0.5f)],
        };

        await Store.SaveManifestAsync(manifest, [stagedModel, stagedAdapter]);
        unused.Dispose();

        Assert.True(stagedModel.IsCommitted);
        Assert.Equal(2, _temp.Blobs().Length);
        Assert.Empty(_temp.TempFiles());
        Assert.Equal(0.5f, Store.Get(N("tuned")).Adapters.Single().Scale);
    }

    [Fact]
    public async Task ChangesTimeOutClearlyWhileAnotherProcessHoldsTheLock()
    {
        Directory.CreateDirectory(_temp.Paths.ModelsDirectory);
        using var held = await FileLock.AcquireAsync(_temp.Paths.StoreLockPath, TimeSpan.FromSeconds(1));
        var store = _temp.NewInstance();
        store.LockTimeout = TimeSpan.FromMilliseconds(150);

        var ex = await Assert.ThrowsAsync<StoreLockTimeoutException>(() => store.CollectGarbageAsync());

        Assert.Contains(_temp.Paths.StoreLockPath, ex.Message);
        Assert.Contains("another hearth command", ex.Message);
    }

    [Fact]
    public async Task ConcurrentImportsRemovesAndCopiesOnSeparateInstancesKeepTheStoreConsistent()
    {
        var sources = Enumerable.Range(1, 3).Select(seed => TestGguf.Write(_temp.File($"c{seed}.gguf"), seed, elements: 4096)).ToArray();
        var names = Enumerable.Range(0, 4).Select(i => N($"m{i}")).ToArray();
        var tasks = Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
        {
            var store = _temp.NewInstance(); // as if each were its own process
            var name = names[i % names.Length];
            try
            {
                switch (i % 3)
                {
                    case 0: await store.ImportAsync(sources[i % sources.Length], name); break;
                    case 1: await store.RemoveAsync(name); break;
                    default: await store.CopyAsync(name, names[(i + 1) % names.Length]); break;
                }
            }
            catch (ModelNotFoundException)
            {
                // rm/cp of a model another task removed first: expected in this race
            }
        })).ToArray();

        await Task.WhenAll(tasks);

        var list = Store.List();
        Assert.All(list, e => Assert.Null(e.Problem));
        foreach (var entry in list)
            foreach (var digest in Store.Get(entry.Name).BlobDigests)
                Assert.True(Store.HasBlob(digest), $"{entry.Name} lost blob {digest}");
        var referenced = list.SelectMany(e => Store.Get(e.Name).BlobDigests).ToHashSet();
        Assert.All(_temp.Blobs(), b => Assert.Contains(BlobDigest.FromFileName(Path.GetFileName(b))!, referenced));
        Assert.All(_temp.Blobs(), b => Assert.Equal(Path.GetFileName(b), "sha256-" + TestGguf.Sha256Hex(File.ReadAllBytes(b))));
        Assert.DoesNotContain(_temp.TempFiles(), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }
}

internal sealed class InlineProgressRecorder<T>(List<T> log) : IProgress<T>
{
    public void Report(T value)
    {
        lock (log)
            log.Add(value);
    }
}
