using OllamaSharp;

namespace Hearth.Server.Tests.Ollama;

/// <summary>
/// One <see cref="ServerFixture"/> shared by the tests of a class that only read the store (xunit class fixture),
/// with an OllamaSharp client pointed at it: loading the model once keeps the suite fast on two cores.
/// </summary>
public sealed class OllamaServer : IAsyncLifetime
{
    private ServerFixture? _server;

    public ServerFixture Server => _server ?? throw new InvalidOperationException("the server has not started");

    public OllamaApiClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerFixture.StartAsync();
        Client = NewClient(_server);
    }

    /// <summary>A client with a generous timeout (tests share two cores).</summary>
    public static OllamaApiClient NewClient(ServerFixture server, HttpMessageHandler? handler = null) =>
        new(new HttpClient(handler ?? new HttpClientHandler()) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) });

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
