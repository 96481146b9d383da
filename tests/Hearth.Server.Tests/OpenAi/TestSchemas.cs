using System.Text.Json;

namespace Hearth.Server.Tests.OpenAi;

/// <summary>The schemas the structured-output and tool tests ask for, with checks of a reply against each.</summary>
internal static class TestSchemas
{
    public const string Person = """
        {"type":"object","properties":{
          "name":{"type":"string","maxLength":12},
          "age":{"type":"integer","minimum":0,"maximum":120},
          "tags":{"type":"array","items":{"type":"string","enum":["red","blue"]},"maxItems":3}},
         "required":["name","age"],"additionalProperties":false}
        """;

    /// <summary>Every value finite: a schema clients' strict-mode rewriting leaves as it is.</summary>
    public const string Verdict = """
        {"type":"object","properties":{
          "verdict":{"type":"string","enum":["guilty","innocent"]},
          "certain":{"type":"boolean"}},
         "required":["verdict","certain"],"additionalProperties":false}
        """;

    public static void AssertVerdict(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(["certain", "verdict"], root.EnumerateObject().Select(p => p.Name).Order());
        Assert.Contains(root.GetProperty("verdict").GetString(), new[] { "guilty", "innocent" });
        Assert.Contains(root.GetProperty("certain").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
    }

    public const string WeatherArguments = """
        {"type":"object","properties":{
          "city":{"type":"string","maxLength":10},
          "unit":{"type":"string","enum":["c","f"]}},
         "required":["city","unit"],"additionalProperties":false}
        """;

    public const string TimeArguments = """{"type":"object","properties":{"city":{"type":"string","maxLength":10}},"required":["city"]}""";

    /// <summary>Checks a call of one of the two test tools: <c>get_weather</c> or <c>get_time</c>.</summary>
    public static void AssertToolArguments(string tool, string json)
    {
        switch (tool)
        {
            case "get_weather":
                AssertWeatherArguments(json);
                break;
            case "get_time":
                using (var document = JsonDocument.Parse(json))
                    Assert.True(Characters(document.RootElement.GetProperty("city")) <= 10);
                break;
            default:
                Assert.Fail($"the call names '{tool}', which was not declared");
                break;
        }
    }

    /// <summary>Parses <paramref name="json"/> and checks every constraint of <see cref="Person"/>.</summary>
    public static void AssertPerson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        foreach (var property in root.EnumerateObject())
            Assert.Contains(property.Name, new[] { "name", "age", "tags" });
        Assert.True(Characters(root.GetProperty("name")) <= 12);
        Assert.InRange(root.GetProperty("age").GetInt64(), 0, 120);
        if (root.TryGetProperty("tags", out var tags))
        {
            Assert.InRange(tags.GetArrayLength(), 0, 3);
            Assert.All(tags.EnumerateArray(), t => Assert.Contains(t.GetString(), new[] { "red", "blue" }));
        }
    }

    /// <summary>Parses tool-call arguments and checks every constraint of <see cref="WeatherArguments"/>.</summary>
    public static void AssertWeatherArguments(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(["city", "unit"], root.EnumerateObject().Select(p => p.Name).Order());
        Assert.True(Characters(root.GetProperty("city")) <= 10);
        Assert.Contains(root.GetProperty("unit").GetString(), new[] { "c", "f" });
    }

    /// <summary>JSON Schema's maxLength counts characters (code points), not UTF-16 units.</summary>
    private static int Characters(JsonElement text) => text.GetString()!.EnumerateRunes().Count();
}
