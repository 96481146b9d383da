using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Hearth.Models.Tests.Fakes;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1:0 that speaks the parts of the Hugging Face Hub protocol a pull uses — the tree
/// API, model info, <c>/resolve/</c> answered with a 302 to a "CDN" path, and Range requests there — and misbehaves on
/// demand (drops connections mid-body, ignores Range, publishes a wrong checksum). One request per connection.
/// </summary>
internal sealed class FakeHuggingFaceServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _dropsLeft;

    public FakeHuggingFaceServer()
    {
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _acceptLoop = AcceptLoopAsync();
    }

    public Uri Endpoint { get; }

    /// <summary>repo id ("owner/repo") → files.</summary>
    public ConcurrentDictionary<string, List<FakeFile>> Repos { get; } = new();

    /// <summary>repo id → cardData.license.</summary>
    public ConcurrentDictionary<string, string> CardLicenses { get; } = new();

    /// <summary>Every request as "METHOD path [Range]" plus the response status, in arrival order.</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>Authorization header values seen, by path.</summary>
    public ConcurrentQueue<(string Path, string? Authorization)> Authorizations { get; } = new();

    /// <summary>CDN downloads cut off after this many body bytes (see <see cref="DropNextDownloads"/>).</summary>
    public int DropAfterBytes { get; set; } = 1000;

    /// <summary>When set, the CDN answers every Range request with 200 and the whole file.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>Tree pages hold at most this many entries, linked with <c>Link: rel="next"</c>.</summary>
    public int TreePageSize { get; set; } = 1000;

    /// <summary>Pause between 1 KiB chunks of a CDN body (to make downloads overlap in concurrency tests).</summary>
    public TimeSpan ChunkDelay { get; set; }

    public int CdnRequests => Log.Count(l => l.StartsWith("GET /cdn/", StringComparison.Ordinal));

    public void DropNextDownloads(int count) => Interlocked.Exchange(ref _dropsLeft, count);

    public void AddRepo(string repoId, params FakeFile[] files) => Repos[repoId] = files.ToList();

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var (method, target, headers) = await ReadRequestAsync(stream);
                headers.TryGetValue("range", out var range);
                headers.TryGetValue("authorization", out var auth);
                var path = target.Split('?')[0];
                Authorizations.Enqueue((path, auth));
                var status = await RouteAsync(stream, method, target, range);
                Log.Enqueue($"{method} {path}{(range is null ? "" : " " + range)} -> {status}");
            }
            catch (IOException)
            {
                // the client went away; nothing to answer
            }
        }
    }

    private async Task<int> RouteAsync(NetworkStream stream, string method, string target, string? range)
    {
        var path = Uri.UnescapeDataString(target.Split('?')[0]);
        var query = target.Contains('?') ? target[(target.IndexOf('?') + 1)..] : "";
        var parts = path.Trim('/').Split('/');

        // GET /api/models/{owner}/{repo}/tree/{revision}
        if (parts is ["api", "models", var o, var r, "tree", ..])
        {
            if (!Repos.TryGetValue($"{o}/{r}", out var files))
                return await RepoNotFoundAsync(stream);
            var cursor = query.Split('&').FirstOrDefault(q => q.StartsWith("cursor=", StringComparison.Ordinal)) is { } c ? int.Parse(c[7..]) : 0;
            var entries = TreeEntries(files);
            var page = entries.Skip(cursor).Take(TreePageSize).ToList();
            var extra = cursor + TreePageSize < entries.Count
                ? $"Link: <{Endpoint}{target.TrimStart('/').Split('?')[0]}?recursive=true&cursor={cursor + TreePageSize}>; rel=\"next\"\r\n"
                : "";
            return await JsonAsync(stream, JsonSerializer.Serialize(page), extra);
        }
        // GET /api/models/{owner}/{repo}
        if (parts is ["api", "models", var o2, var r2])
        {
            if (!Repos.ContainsKey($"{o2}/{r2}"))
                return await RepoNotFoundAsync(stream);
            var card = CardLicenses.TryGetValue($"{o2}/{r2}", out var lic) ? new Dictionary<string, object> { ["license"] = lic } : new();
            return await JsonAsync(stream, JsonSerializer.Serialize(new Dictionary<string, object> { ["id"] = $"{o2}/{r2}", ["cardData"] = card }));
        }
        // GET /{owner}/{repo}/resolve/{revision}/{path...}: LFS files redirect to the CDN, small files are served here.
        if (parts.Length >= 5 && parts[2] == "resolve")
        {
            var file = FindFile($"{parts[0]}/{parts[1]}", string.Join('/', parts.Skip(4)));
            if (file is null)
                return await WriteAsync(stream, 404, "Not Found", "text/plain", "Entry not found"u8.ToArray(), "X-Error-Code: EntryNotFound\r\n");
            if (!file.Lfs)
                return await ServeBodyAsync(stream, file.Content, range);
            var location = $"{Endpoint}cdn/{parts[0]}/{parts[1]}/{string.Join('/', parts.Skip(4))}";
            return await WriteAsync(stream, 302, "Found", "text/plain", [], $"Location: {location}\r\n");
        }
        // GET /cdn/{owner}/{repo}/{path...}
        if (parts.Length >= 4 && parts[0] == "cdn")
        {
            var file = FindFile($"{parts[1]}/{parts[2]}", string.Join('/', parts.Skip(3)));
            return file is null
                ? await WriteAsync(stream, 404, "Not Found", "text/plain", [], "")
                : await ServeBodyAsync(stream, file.Content, range);
        }
        return await WriteAsync(stream, 404, "Not Found", "text/plain", [], "");
    }

    private FakeFile? FindFile(string repoId, string path) =>
        Repos.TryGetValue(repoId, out var files) ? files.FirstOrDefault(f => f.Path == path) : null;

    private async Task<int> ServeBodyAsync(NetworkStream stream, byte[] content, string? range)
    {
        long start = 0;
        if (range is not null && !IgnoreRange)
        {
            start = long.Parse(range["bytes=".Length..].TrimEnd('-'));
            if (start >= content.Length)
                return await WriteAsync(stream, 416, "Range Not Satisfiable", "text/plain", [], $"Content-Range: bytes */{content.Length}\r\n");
        }
        var body = content.AsMemory((int)start);
        var status = start > 0 ? 206 : 200;
        var head = new StringBuilder()
            .Append($"HTTP/1.1 {status} {(status == 206 ? "Partial Content" : "OK")}\r\n")
            .Append("Content-Type: application/octet-stream\r\nAccept-Ranges: bytes\r\nConnection: close\r\n")
            .Append($"Content-Length: {body.Length}\r\n");
        if (status == 206)
            head.Append($"Content-Range: bytes {start}-{content.Length - 1}/{content.Length}\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));

        // Drop: send part of the promised body, then close, as a connection reset mid-download looks to the client.
        var drop = Interlocked.Decrement(ref _dropsLeft) >= 0;
        var limit = drop ? Math.Min(DropAfterBytes, body.Length) : body.Length;
        for (var sent = 0; sent < limit; sent += 1024)
        {
            await stream.WriteAsync(body.Slice(sent, Math.Min(1024, limit - sent)));
            if (ChunkDelay > TimeSpan.Zero)
                await Task.Delay(ChunkDelay);
        }
        await stream.FlushAsync();
        return drop ? -status : status;
    }

    private static List<Dictionary<string, object>> TreeEntries(List<FakeFile> files)
    {
        var entries = new List<Dictionary<string, object>>();
        foreach (var dir in files.Select(f => f.Path).Where(p => p.Contains('/')).Select(p => p[..p.LastIndexOf('/')]).Distinct())
            entries.Add(new() { ["type"] = "directory", ["oid"] = new string('0', 40), ["size"] = 0, ["path"] = dir });
        foreach (var f in files)
        {
            var e = new Dictionary<string, object> { ["type"] = "file", ["oid"] = f.PublishedGitOid ?? GitBlobSha1(f.Content), ["size"] = f.Content.Length, ["path"] = f.Path };
            if (f.Lfs)
                e["lfs"] = new Dictionary<string, object> { ["oid"] = f.PublishedSha256 ?? TestGguf.Sha256Hex(f.Content), ["size"] = f.Content.Length, ["pointerSize"] = 134 };
            entries.Add(e);
        }
        return entries;
    }

    public static string GitBlobSha1(byte[] content) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.ASCII.GetBytes($"blob {content.Length}\0").Concat(content).ToArray()));

    private static Task<int> RepoNotFoundAsync(NetworkStream stream) =>
        WriteAsync(stream, 404, "Not Found", "application/json", """{"error":"Repository not found"}"""u8.ToArray(), "X-Error-Code: RepoNotFound\r\n");

    private static Task<int> JsonAsync(NetworkStream stream, string json, string extraHeaders = "") =>
        WriteAsync(stream, 200, "OK", "application/json", Encoding.UTF8.GetBytes(json), extraHeaders);

    private static async Task<int> WriteAsync(NetworkStream stream, int status, string reason, string contentType, byte[] body, string extraHeaders)
    {
        var head = $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n{extraHeaders}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
        return status;
    }

    private static async Task<(string Method, string Target, Dictionary<string, string> Headers)> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 4 || !(buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
                throw new IOException("client closed before sending a request");
            buffer.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString(buffer.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var first = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        return (first[0], first[1], headers);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop;
        _stop.Dispose();
    }
}

/// <summary>A file in a fake repo. <see cref="PublishedSha256"/> overrides the checksum the tree API announces.</summary>
internal sealed record FakeFile(string Path, byte[] Content, bool Lfs = true, string? PublishedSha256 = null, string? PublishedGitOid = null);
