using System.Text.Json;
using Hearth.Server.Errors;
using Hearth.Server.Ollama;

namespace Hearth.Server.Tests.Ollama;

/// <summary>Ollama's keep_alive values: Go durations, seconds, zero and negatives.</summary>
public sealed class KeepAliveTests
{
    [Theory]
    [InlineData("\"5m\"", 300)]
    [InlineData("\"1h30m\"", 5400)]
    [InlineData("\"1.5s\"", 1.5)]
    [InlineData("\"300ms\"", 0.3)]
    [InlineData("\"0\"", 0)]
    [InlineData("\"3600\"", 3600)]
    [InlineData("120", 120)]
    [InlineData("0", 0)]
    public void DurationsAndSecondsParse(string json, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), KeepAlive.Parse(JsonDocument.Parse(json).RootElement));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("\"-1\"")]
    [InlineData("\"-5m\"")]
    [InlineData("\"100000h\"")]
    [InlineData("1e300")]
    public void NegativeAndTimerOverflowingValuesKeepTheModelLoaded(string json)
    {
        Assert.Equal(Timeout.InfiniteTimeSpan, KeepAlive.Parse(JsonDocument.Parse(json).RootElement));
    }

    [Theory]
    [InlineData("\"soon\"")]
    [InlineData("\"5 minutes\"")]
    [InlineData("\"m\"")]
    [InlineData("true")]
    public void OtherValuesAreRefusedNamingTheField(string json)
    {
        var error = Assert.Throws<ApiException>(() => KeepAlive.Parse(JsonDocument.Parse(json).RootElement));
        Assert.Equal(400, error.Status);
        Assert.Equal("keep_alive", error.Param);
    }
}
