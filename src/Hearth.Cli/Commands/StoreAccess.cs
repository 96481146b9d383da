using Hearth.Models.Pull;
using Hearth.Models.Store;

namespace Hearth.Cli.Commands;

/// <summary>Builds the store and the Hugging Face puller from the command's environment (HEARTH_HOME, HEARTH_HF_ENDPOINT, HF_TOKEN).</summary>
internal static class StoreAccess
{
    public static ModelStore Open(CliEnvironment env) => new(env.Paths);

    public static HuggingFaceOptions HuggingFace(CliEnvironment env)
    {
        var endpoint = env.GetVariable(HuggingFaceOptions.EndpointVariable);
        var token = env.GetVariable(HuggingFaceOptions.TokenVariable);
        var uri = HuggingFaceOptions.DefaultEndpoint;
        if (!string.IsNullOrWhiteSpace(endpoint) &&
            (!Uri.TryCreate(endpoint.TrimEnd('/'), UriKind.Absolute, out uri!) || uri.Scheme is not ("http" or "https")))
            throw new CliException($"{HuggingFaceOptions.EndpointVariable} '{endpoint}' is not an http(s) URL (e.g. https://huggingface.co)");
        return new HuggingFaceOptions { Endpoint = uri, Token = string.IsNullOrWhiteSpace(token) ? null : token.Trim() };
    }

    public static HuggingFacePuller Puller(CliEnvironment env, ModelStore store, HttpClient http) => new(store, http, HuggingFace(env));

    /// <summary>An HttpClient for pulls: redirects followed (the Hub answers 302 to its CDN), no overall timeout (files are GBs).</summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = true,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        AutomaticDecompression = System.Net.DecompressionMethods.None,
    })
    { Timeout = Timeout.InfiniteTimeSpan };
}
