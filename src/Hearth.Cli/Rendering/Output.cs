using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hearth.Cli.Rendering;

/// <summary>One place that decides between human text and <c>--json</c>.</summary>
public static class Output
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        // Templates and prompts are full of '<', '>' and quotes: keep them readable (this is a terminal, not HTML).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static bool IsJson(ParseResult parse) => parse.GetValue(HearthCli.Json);

    /// <summary>Prints <paramref name="json"/> with <c>--json</c>, otherwise the one-line <paramref name="text"/>.</summary>
    public static void Result(CliEnvironment env, ParseResult parse, object json, string text)
    {
        if (IsJson(parse))
            WriteJson(env, json);
        else
            env.Out.WriteLine(text);
    }

    public static void WriteJson(CliEnvironment env, object value) => env.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));
}

public static class Format
{
    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.0} GB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MB",
        >= 1L << 10 => $"{bytes / (double)(1L << 10):0.0} KB",
        _ => $"{bytes} B",
    };

    public static string Count(long n) => n switch
    {
        >= 1_000_000_000 => $"{n / 1e9:0.##}B",
        >= 1_000_000 => $"{n / 1e6:0.##}M",
        >= 1_000 => $"{n / 1e3:0.##}K",
        _ => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string Ago(DateTimeOffset when, DateTimeOffset now)
    {
        var span = now - when;
        return span.TotalSeconds switch
        {
            < 60 => "just now",
            < 3600 => $"{(int)span.TotalMinutes} minute{(span.TotalMinutes >= 2 ? "s" : "")} ago",
            < 86400 => $"{(int)span.TotalHours} hour{(span.TotalHours >= 2 ? "s" : "")} ago",
            _ => $"{(int)span.TotalDays} day{(span.TotalDays >= 2 ? "s" : "")} ago",
        };
    }
}
