using System.Security.Cryptography;

namespace Hearth.Server.Playground;

/// <summary>One embedded file of the playground.</summary>
internal sealed record PlaygroundAsset(byte[] Content, string ContentType, string ETag);

/// <summary>Reads the playground's files from the assembly's resources (<c>Playground/wwwroot/*</c>, see the csproj).</summary>
internal static class PlaygroundAssets
{
    private const string Prefix = "Hearth.Server.Playground.";

    public static IReadOnlyDictionary<string, PlaygroundAsset> Load()
    {
        var assembly = typeof(PlaygroundAssets).Assembly;
        var assets = new Dictionary<string, PlaygroundAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var name = resource[Prefix.Length..];
            assets[name] = new PlaygroundAsset(content, ContentType(name), $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
        }
        if (!assets.ContainsKey("index.html"))
            throw new InvalidOperationException("the playground's index.html is not embedded in Hearth.Server; check the EmbeddedResource items in its csproj");
        return assets;
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
