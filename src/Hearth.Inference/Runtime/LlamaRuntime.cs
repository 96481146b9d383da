using LLama.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hearth.Inference.Runtime;

/// <summary>
/// One-time set-up of llama.cpp inside this process: loads the native library and routes llama.cpp's own log lines
/// (which it would otherwise print to stderr) to <see cref="Logger"/>. Every Hearth.Inference entry point calls
/// <see cref="EnsureInitialized"/> first; calling it again does nothing. Thread-safe.
/// </summary>
public static class LlamaRuntime
{
    private static readonly Lock Gate = new();
    private static bool _initialized;

    // The delegate is handed to native code, so a static field keeps it alive for the life of the process
    // (a collected delegate would crash the next llama.cpp log call).
    private static readonly NativeLogConfig.LLamaLogCallback LogCallback = OnNativeLog;

    // llama.cpp emits one log line in pieces (level CONT continues the previous one); they are joined per thread.
    [ThreadStatic] private static System.Text.StringBuilder? _pending;
    [ThreadStatic] private static LLamaLogLevel _pendingLevel;

    private static readonly EventId NativeLogEvent = new(1, "LlamaCppLog");

    private static volatile ILogger _logger = NullLogger.Instance;

    /// <summary>
    /// Where llama.cpp's log lines go. Default: nowhere (<see cref="NullLogger"/>), so the library stays quiet.
    /// llama.cpp's info/debug chatter maps to <see cref="LogLevel.Debug"/>/<see cref="LogLevel.Trace"/>.
    /// </summary>
    public static ILogger Logger
    {
        get => _logger;
        set => _logger = value ?? NullLogger.Instance;
    }

    /// <summary>Raised for every complete llama.cpp log line (after <see cref="Logger"/>); handlers must be quick and must not throw.</summary>
    public static event Action<LogLevel, string>? NativeLog;

    /// <summary>Loads llama.cpp (CPU backend) and installs the log route. Safe to call from many threads.</summary>
    public static void EnsureInitialized()
    {
        if (Volatile.Read(ref _initialized))
            return;
        lock (Gate)
        {
            if (_initialized)
                return;
            // Before the library loads, LLamaSharp stores the callback and installs it as part of loading,
            // so even the loader's own messages are routed instead of printed.
            NativeLogConfig.llama_log_set(LogCallback);
            // Touching any native entry point loads the library (LLamaQuantizer, for one, needs it loaded first).
            NativeApi.llama_empty_call();
            // Installed again now that the library is loaded, in case another component loaded it before us.
            NativeLogConfig.llama_log_set(LogCallback);
            Volatile.Write(ref _initialized, true);
        }
    }

    private static void OnNativeLog(LLamaLogLevel level, string message)
    {
        try
        {
            var pending = _pending ??= new System.Text.StringBuilder();
            if (level != LLamaLogLevel.Continue)
            {
                if (pending.Length > 0)
                    Flush(pending);
                _pendingLevel = level;
            }
            pending.Append(message);
            if (message.EndsWith('\n'))
                Flush(pending);
        }
        catch
        {
            // An exception must never unwind into native code.
        }
    }

    private static void Flush(System.Text.StringBuilder pending)
    {
        var line = pending.ToString().TrimEnd('\n', '\r');
        pending.Clear();
        if (line.Length == 0)
            return;
        var level = ToLogLevel(_pendingLevel);
        if (level >= LogLevel.Warning)
            Remember(line);
        var logger = _logger;
        if (logger.IsEnabled(level))
            logger.Log(level, NativeLogEvent, line, null, static (text, _) => "llama.cpp: " + text);
        NativeLog?.Invoke(level, line);
    }

    // The last few warning/error lines, numbered, so a failed load can quote what llama.cpp said about it.
    private static readonly Queue<(long Number, string Line)> RecentProblems = new();
    private static long _problemCount;

    /// <summary>A marker to pass to <see cref="DescribeRefusal"/> after a native call that may fail.</summary>
    internal static long ErrorMark => Interlocked.Read(ref _problemCount);

    /// <summary>"llama.cpp refused it" plus the warning/error lines llama.cpp logged since <paramref name="mark"/>.</summary>
    internal static string DescribeRefusal(long mark)
    {
        string[] lines;
        lock (RecentProblems)
            lines = RecentProblems.Where(p => p.Number > mark).Select(p => p.Line).ToArray();
        return lines.Length == 0
            ? "llama.cpp refused it (it may be truncated, or of an architecture or tensor type this llama.cpp does not support)"
            : $"llama.cpp refused it: {string.Join("; ", lines)}";
    }

    private static void Remember(string line)
    {
        lock (RecentProblems)
        {
            RecentProblems.Enqueue((Interlocked.Increment(ref _problemCount), line));
            while (RecentProblems.Count > 16)
                RecentProblems.Dequeue();
        }
    }

    private static LogLevel ToLogLevel(LLamaLogLevel level) => level switch
    {
        LLamaLogLevel.Error => LogLevel.Error,
        LLamaLogLevel.Warning => LogLevel.Warning,
        LLamaLogLevel.Info => LogLevel.Debug,
        _ => LogLevel.Trace,
    };
}
