using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Hearth.Models.Pull;

/// <summary>
/// The parts of the Hugging Face Hub HTTP API a pull needs, as <c>huggingface_hub</c> uses them: the tree listing
/// (<c>list_repo_tree</c>: <c>/api/models/{repo}/tree/{revision}?recursive=true</c>, paged by <c>Link: rel="next"</c>),
/// model info (<c>/api/models/{repo}</c>, for <c>cardData.license</c>) and file URLs (<c>/{repo}/resolve/{revision}/{path}</c>).
/// </summary>
public sealed class HuggingFaceClient
{
    private readonly HttpClient _http;

    public HuggingFaceClient(HttpClient http, HuggingFaceOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        Options = options;
    }

    public HuggingFaceOptions Options { get; }

    /// <summary>Every file in the repo at <paramref name="revision"/> (folders are left out).</summary>
    /// <exception cref="RepositoryNotFoundException">No such repo or revision, or it is private/gated.</exception>
    public async Task<IReadOnlyList<HuggingFaceRepoFile>> ListFilesAsync(string owner, string repo, string revision, CancellationToken cancellationToken = default)
    {
        var files = new List<HuggingFaceRepoFile>();
        Uri? url = Api($"api/models/{Escape(owner)}/{Escape(repo)}/tree/{Escape(revision)}?recursive=true");
        while (url is not null)
        {
            using var request = NewRequest(url);
            using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
            await ThrowForRepoErrorAsync(response, owner, repo, revision, cancellationToken).ConfigureAwait(false);
            var json = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            ParseTree(json, $"{owner}/{repo}", files);
            url = NextPage(response, url);
        }
        return files;
    }

    /// <summary>The licence from the repo's model card (<c>cardData.license</c>), or null when it has none.</summary>
    public async Task<string?> GetCardLicenseAsync(string owner, string repo, CancellationToken cancellationToken = default)
    {
        using var request = NewRequest(Api($"api/models/{Escape(owner)}/{Escape(repo)}"));
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        await ThrowForRepoErrorAsync(response, owner, repo, null, cancellationToken).ConfigureAwait(false);
        var json = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("cardData", out var card) &&
                card.ValueKind == JsonValueKind.Object && card.TryGetProperty("license", out var license))
                return license.ValueKind switch
                {
                    JsonValueKind.String => license.GetString(),
                    JsonValueKind.Array => string.Join(", ", license.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString())),
                    _ => null,
                };
            return null;
        }
        catch (JsonException e)
        {
            throw new PullException($"the Hub's model info for '{owner}/{repo}' is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The download URL of a file; the Hub answers it with a redirect to its CDN for LFS files.</summary>
    public Uri ResolveUrl(string owner, string repo, string revision, string path) =>
        Api($"{Escape(owner)}/{Escape(repo)}/resolve/{Escape(revision)}/{string.Join('/', path.Split('/').Select(Escape))}");

    /// <summary>A GET request carrying the token when there is one. .NET drops the Authorization header on redirects to another host.</summary>
    public HttpRequestMessage NewRequest(Uri url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (Options.Token is { } token && url.Host == Options.Endpoint.Host)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("hearth", "0.1"));
        return request;
    }

    internal async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new PullException($"cannot reach {Options.Endpoint}: {e.Message}", e);
        }
    }

    private Uri Api(string relative) => new(new Uri(Options.Endpoint.AbsoluteUri.TrimEnd('/') + "/"), relative);

    // The Hub takes revisions like "refs/pr/1" as one path segment, so '/' must be escaped too (huggingface_hub: quote(revision, safe="")).
    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private async Task ThrowForRepoErrorAsync(HttpResponseMessage response, string owner, string repo, string? revision, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
            return;
        var repoId = $"{owner}/{repo}";
        // The Hub says which thing is missing in X-Error-Code (RepoNotFound, RevisionNotFound, GatedRepo, …).
        var code = response.Headers.TryGetValues("X-Error-Code", out var codes) ? codes.FirstOrDefault() : null;
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound when code == "RevisionNotFound" && revision is not null:
                throw new RepositoryNotFoundException(repoId, $"revision '{revision}' not found in Hugging Face repo '{repoId}'");
            case HttpStatusCode.NotFound:
            case HttpStatusCode.Unauthorized:
                // The Hub answers 401 for private repos as for missing ones, so both get the same advice.
                throw new RepositoryNotFoundException(repoId,
                    $"Hugging Face repo '{repoId}' not found at {Options.Endpoint} (check the spelling; for a private or gated repo set {HuggingFaceOptions.TokenVariable})");
            case HttpStatusCode.Forbidden:
                throw new PullException($"access to Hugging Face repo '{repoId}' was refused (gated repo? accept its terms on the website and set {HuggingFaceOptions.TokenVariable})");
            default:
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new PullException($"the Hub answered {(int)response.StatusCode} {response.ReasonPhrase} for '{repoId}': {Shorten(body)}");
        }
    }

    private static void ParseTree(byte[] json, string repoId, List<HuggingFaceRepoFile> files)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
                throw new PullException($"the Hub's file list for '{repoId}' is not a JSON array");
            var index = 0;
            foreach (var entry in doc.RootElement.EnumerateArray())
            {
                var at = $"the Hub's file list for '{repoId}', entry {index++}";
                if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("type", out var type) || type.GetString() != "file")
                    continue; // folders (and anything newer we do not know) carry no download
                var path = entry.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : throw new PullException($"{at}: 'path' missing");
                var size = entry.TryGetProperty("size", out var s) && s.TryGetInt64(out var sz) && sz >= 0 ? sz : throw new PullException($"{at} ('{path}'): 'size' missing or negative");
                var oid = entry.TryGetProperty("oid", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : throw new PullException($"{at} ('{path}'): 'oid' missing");
                string? sha256 = null;
                if (entry.TryGetProperty("lfs", out var lfs) && lfs.ValueKind == JsonValueKind.Object)
                {
                    sha256 = lfs.TryGetProperty("oid", out var lo) && lo.ValueKind == JsonValueKind.String && lo.GetString() is { Length: 64 } hex && hex.All(char.IsAsciiHexDigit)
                        ? hex.ToLowerInvariant()
                        : throw new PullException($"{at} ('{path}'): 'lfs.oid' is not a sha256 hex string");
                    if (lfs.TryGetProperty("size", out var ls) && ls.TryGetInt64(out var lfsSize))
                        size = lfsSize;
                }
                files.Add(new HuggingFaceRepoFile(path, size, oid, sha256));
            }
        }
        catch (JsonException e)
        {
            throw new PullException($"the Hub's file list for '{repoId}' is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The next page from <c>Link: &lt;url&gt;; rel="next"</c> (RFC 8288), as huggingface_hub's <c>paginate</c> follows it.</summary>
    private static Uri? NextPage(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
            return null;
        foreach (var header in links)
            foreach (var link in header.Split(','))
            {
                var parts = link.Split(';');
                if (parts.Length < 2 || !parts.Skip(1).Any(p => p.Trim().Replace(" ", "") is "rel=\"next\"" or "rel=next"))
                    continue;
                var target = parts[0].Trim().TrimStart('<').TrimEnd('>');
                if (Uri.TryCreate(current, target, out var next))
                    return next;
            }
        return null;
    }

    internal static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
