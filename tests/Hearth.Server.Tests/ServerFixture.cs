using Hearth.Models.Factory;
using Hearth.Models.Naming;
using Hearth.Models.Paths;
using Hearth.Models.Store;
using Hearth.Server.Hosting;

namespace Hearth.Server.Tests;

/// <summary>
/// A real <c>hearth serve</c> on 127.0.0.1 (a free port) over a private store that holds <c>tiny</c>, a random-weight
/// llama model from the factory. Tests talk to it over HTTP like any client.
/// </summary>
public sealed class ServerFixture : IAsyncDisposable
{
    private ServerFixture(string home, HearthServer server, HttpClient http)
    {
        Home = home;
        Server = server;
        Http = http;
    }

    public string Home { get; }
    public HearthServer Server { get; }
    public HttpClient Http { get; }
    public Uri BaseAddress => Server.BaseAddress;

    public const string TinyModel = "tiny";

    /// <param name="configure">Changes to the server options (API keys, limits, …).</param>
    public static async Task<ServerFixture> StartAsync(Func<HearthServerOptions, HearthServerOptions>? configure = null, ulong seed = 1)
    {
        var home = Directory.CreateTempSubdirectory("hearth-serve-").FullName;
        var paths = new HearthPaths(home);
        var store = new ModelStore(paths);
        await ModelFactory.CreateInStoreAsync(store, ModelSpec.Preset("tiny") with { Seed = seed }, ModelName.Parse(TinyModel));
        var options = new HearthServerOptions { Paths = paths, Port = 0, ContextSize = 512, Threads = 2 };
        options = configure?.Invoke(options) ?? options;
        var server = HearthServer.Create(options);
        await server.StartAsync();
        var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        return new ServerFixture(home, server, http);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        try { Directory.Delete(Home, recursive: true); } catch (IOException) { }
    }
}
