namespace Hearth.Server.Errors;

/// <summary>A request failed in a way the client should hear about with <see cref="Status"/> and this message.</summary>
public sealed class ApiException(int status, string message, string? param = null, string? code = null, TimeSpan? retryAfter = null)
    : Exception(message)
{
    public int Status { get; } = status;
    public string? Param { get; } = param;
    public string? Code { get; } = code;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
