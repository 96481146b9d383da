using Hearth.Models.Naming;
using Hearth.Models.Pull;
using Hearth.Models.Store;
using Hearth.Models.Tests.Fakes;

namespace Hearth.Models.Tests.Pull;

public sealed class ModelResolverTests : IAsyncLifetime
{
    private readonly TempStore _temp = new();
    private readonly FakeHuggingFaceServer _hub = new();
    private readonly HttpClient _http = new();

    public Task InitializeAsync()
    {
        _hub.AddRepo("o/r", new FakeFile("m-Q4_K_M.gguf", TestGguf.Bytes(seed: 7)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _hub.DisposeAsync();
        _temp.Dispose();
    }

    private ModelResolver Online() =>
        new(_temp.Store, new HuggingFacePuller(_temp.Store, _http, new HuggingFaceOptions { Endpoint = _hub.Endpoint }));

    [Fact]
    public async Task PullsAHuggingFaceReferenceOnceThenFindsItInTheStore()
    {
        var first = await Online().ResolveAsync(ModelReference.Parse("hf.co/o/r"));
        var second = await new ModelResolver(_temp.Store).ResolveAsync(ModelReference.Parse("hf.co/o/r"));

        Assert.Equal("o/r:latest", first.ToString());
        Assert.Equal(first, second);
        Assert.Equal(1, _hub.CdnRequests);
    }

    [Fact]
    public async Task OfflineResolutionOfAnUnpulledReferenceSaysToPull()
    {
        var ex = await Assert.ThrowsAsync<ModelStoreException>(() => new ModelResolver(_temp.Store).ResolveAsync(ModelReference.Parse("hf.co/o/r")));
        Assert.Contains("run 'hearth pull hf.co/o/r' first", ex.Message);
    }

    [Fact]
    public async Task StoreNamesMustExist() =>
        await Assert.ThrowsAsync<ModelNotFoundException>(() => Online().ResolveAsync(ModelReference.Parse("nothing")));

    [Fact]
    public async Task RegistryReferencesSayTheRegistryIsNotAvailableYet()
    {
        var ex = await Assert.ThrowsAsync<ModelStoreException>(() => Online().ResolveAsync(ModelReference.Parse("models:/bot@champion")));
        Assert.Contains("the model registry is not available yet", ex.Message);
    }
}
