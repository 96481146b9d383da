using System.Net;
using Hearth.Inference.Pool;
using Hearth.Models.Store;
using Hearth.Server.Errors;
using Hearth.Server.Observability;
using Hearth.Server.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearth.Server.Hosting;

/// <summary>
/// Builds and runs the <c>hearth serve</c> web application: Kestrel on the configured address, the model store and
/// pool as services, authentication, limits, and every route (see <see cref="Routes"/>).
/// </summary>
public sealed class HearthServer : IAsyncDisposable
{
    private HearthServer(WebApplication app) => App = app;

    public WebApplication App { get; }

    /// <summary>The address actually bound (useful with port 0).</summary>
    public Uri BaseAddress
    {
        get
        {
            var addresses = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            return new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    public static HearthServer Create(HearthServerOptions options, Action<ILoggingBuilder>? logging = null)
    {
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logging is not null)
            logging(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(options.Host), options.Port);
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new ModelStore(options.Paths));
        builder.Services.AddSingleton(_ => new ModelPool(new ModelPoolOptions
        {
            KeepAlive = options.KeepAlive,
            MemoryBudgetBytes = options.MemoryBudgetBytes ?? new ModelPoolOptions().MemoryBudgetBytes,
        }));
        builder.Services.AddSingleton<ServedModels>();
        builder.Services.AddSingleton<ServerMetrics>();
        var app = builder.Build();
        app.UseMiddleware<RequestLogging>();
        app.UseMiddleware<ErrorHandling>();
        app.UseMiddleware<ApiKeyAuthentication>();
        Routes.Map(app);
        return new HearthServer(app);
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => App.StartAsync(cancellationToken);

    /// <summary>After <see cref="StartAsync"/>: serves until <paramref name="cancellationToken"/> fires (Ctrl-C in <c>hearth serve</c>), then stops gracefully.</summary>
    public async Task RunUntilCancelledAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await App.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync().ConfigureAwait(false);
}
