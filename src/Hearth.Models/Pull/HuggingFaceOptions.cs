namespace Hearth.Models.Pull;

/// <summary>Where and how to reach Hugging Face. <see cref="FromEnvironment"/> reads <c>HEARTH_HF_ENDPOINT</c> and <c>HF_TOKEN</c>.</summary>
public sealed record HuggingFaceOptions
{
    public const string EndpointVariable = "HEARTH_HF_ENDPOINT";
    public const string TokenVariable = "HF_TOKEN";
    public static readonly Uri DefaultEndpoint = new("https://huggingface.co");

    /// <summary>The Hub (or a mirror speaking its API). Default <c>https://huggingface.co</c>.</summary>
    public Uri Endpoint { get; init; } = DefaultEndpoint;

    /// <summary>Access token for private and gated repos; sent only to <see cref="Endpoint"/>, never to the CDN it redirects to.</summary>
    public string? Token { get; init; }

    /// <summary>How many times a dropped connection or a 5xx answer is retried in a row before the pull fails. Default 5.</summary>
    public int MaxRetries
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxRetries must be 0 or more");
    } = 5;

    /// <summary>Wait before the first retry; doubled for each further one, capped at 30 s. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A download that receives no byte for this long counts as a dropped connection. Default 60 s.</summary>
    public TimeSpan ReadIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public static HuggingFaceOptions FromEnvironment()
    {
        var endpoint = Environment.GetEnvironmentVariable(EndpointVariable);
        var token = Environment.GetEnvironmentVariable(TokenVariable);
        Uri uri = DefaultEndpoint;
        if (!string.IsNullOrWhiteSpace(endpoint) &&
            (!Uri.TryCreate(endpoint.TrimEnd('/'), UriKind.Absolute, out uri!) || uri.Scheme is not ("http" or "https")))
            throw new ArgumentException($"{EndpointVariable} '{endpoint}' is not an http(s) URL (e.g. https://huggingface.co)");
        return new HuggingFaceOptions { Endpoint = uri, Token = string.IsNullOrWhiteSpace(token) ? null : token.Trim() };
    }
}
