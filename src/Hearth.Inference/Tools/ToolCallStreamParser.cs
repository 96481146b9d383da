using System.Text;
using System.Text.Json;

namespace Hearth.Inference.Tools;

/// <summary>
/// <see cref="ToolCallParser"/> for a reply being streamed: feed it the generated text piece by piece and it says what
/// it is sure of as soon as it is sure. Hermes calls stream: <see cref="ToolCallStarted"/> once the name is read and
/// is a declared tool, then <see cref="ToolCallArgumentsDelta"/> fragments as the arguments JSON arrives (they add up
/// to the call's <see cref="ToolCall.Arguments"/>). Text around calls comes as <see cref="ContentDelta"/>, trimmed as
/// the whole parse trims it, holding back anything that may be the start of <c>&lt;tool_call&gt;</c>. Replies in the
/// bare-JSON, Llama and Mistral formats are whole-reply formats, so they are held until <see cref="Complete"/>.
/// For complete replies the events add up to what <see cref="ToolCallParser.Parse"/> returns (ids aside); when a
/// Hermes call that began well breaks off (an unconstrained model, or the token limit), the events already sent stand.
/// Not thread-safe: one parser per reply.
/// </summary>
public sealed class ToolCallStreamParser(IReadOnlyList<ToolDefinition> tools)
{
    private enum Mode { Undecided, Text, Whole, CallHeader, CallArguments, CallEnd }

    private readonly IReadOnlyList<ToolDefinition> _tools = tools ?? throw new ArgumentNullException(nameof(tools));
    private readonly StringBuilder _pending = new();
    private readonly StringBuilder _whole = new();
    private readonly StringBuilder _heldSpace = new();
    private readonly List<ToolStreamEvent> _events = new();
    private Mode _mode = Mode.Undecided;
    private bool _contentStarted;
    private int _index = -1;
    private int _depth;
    private bool _inString, _escaped;

    /// <summary>Takes the next piece of generated text; returns the events it settles (often none).</summary>
    public IReadOnlyList<ToolStreamEvent> Push(string piece)
    {
        ArgumentNullException.ThrowIfNull(piece);
        _pending.Append(piece);
        _whole.Append(piece);
        return Drain(final: false);
    }

    /// <summary>The reply is over: settles everything still held back.</summary>
    public IReadOnlyList<ToolStreamEvent> Complete() => Drain(final: true);

    private List<ToolStreamEvent> Drain(bool final)
    {
        _events.Clear();
        while (Step(final))
        {
        }
        return [.. _events];
    }

    // One transition; true when it made progress and another may follow.
    private bool Step(bool final)
    {
        var text = _pending.ToString();
        switch (_mode)
        {
            case Mode.Undecided:
            {
                var start = text.TrimStart();
                if (start.Length == 0)
                    return false;
                if (ToolCallParser.StartsBare(start))
                    _mode = Mode.Whole;
                else if (!final && IsPrefixOfAny(start, [ToolCallParser.CallOpen, .. ToolCallParser.BarePrefixes]))
                    return false;
                else
                    _mode = Mode.Text;
                return true;
            }
            case Mode.Whole:
            {
                if (!final)
                    return false;
                var result = ToolCallParser.Parse(_whole.ToString(), _tools);
                if (result.Content.Length > 0)
                    _events.Add(new ContentDelta(result.Content));
                foreach (var call in result.Calls)
                {
                    _index++;
                    _events.Add(new ToolCallStarted(_index, call.Id, call.Name));
                    _events.Add(new ToolCallArgumentsDelta(_index, call.Arguments));
                }
                _pending.Clear();
                return false;
            }
            case Mode.Text:
            {
                var open = text.IndexOf(ToolCallParser.CallOpen, StringComparison.Ordinal);
                if (open >= 0)
                {
                    Content(text[..open]);
                    Consume(open + ToolCallParser.CallOpen.Length);
                    _mode = Mode.CallHeader;
                    return true;
                }
                var keep = final ? 0 : HeldBackLength(text, ToolCallParser.CallOpen);
                Content(text[..^keep]);
                Consume(text.Length - keep);
                return false;
            }
            case Mode.CallHeader:
            {
                var header = ToolCallParser.CallHeader().Match(text);
                if (header.Success && Unescape(header.Groups[1].Value) is { } name && _tools.Any(t => t.Name == name))
                {
                    // Streamed only when the arguments are written as an object; other forms are settled whole below.
                    var value = text.AsSpan(header.Length).TrimStart();
                    if (value.IsEmpty && !final)
                        return false;
                    if (value.StartsWith("{"))
                    {
                        _index++;
                        _events.Add(new ToolCallStarted(_index, ToolCall.NewId(), name));
                        Consume(text.Length - value.Length);
                        (_depth, _inString, _escaped) = (0, false, false);
                        _mode = Mode.CallArguments;
                        return true;
                    }
                }
                // Not a call this parser streams (or not yet readable): settle it whole once its end is known.
                var close = text.IndexOf(ToolCallParser.CallClose, StringComparison.Ordinal);
                if (close < 0 && !final)
                    return false;
                var body = close < 0 ? text : text[..close];
                var end = close < 0 ? text.Length : close + ToolCallParser.CallClose.Length;
                if (ToolCallParser.TryCall(body, _tools) is { } call)
                {
                    _index++;
                    _events.Add(new ToolCallStarted(_index, call.Id, call.Name));
                    _events.Add(new ToolCallArgumentsDelta(_index, call.Arguments));
                }
                else
                    Content(ToolCallParser.CallOpen + text[..end]);
                Consume(end);
                _mode = Mode.Text;
                return true;
            }
            case Mode.CallArguments:
            {
                var used = ScanArguments(text, out var complete);
                if (used > 0)
                    _events.Add(new ToolCallArgumentsDelta(_index, text[..used]));
                Consume(used);
                if (complete)
                    _mode = Mode.CallEnd;
                return complete;
            }
            case Mode.CallEnd:
            {
                var close = text.IndexOf(ToolCallParser.CallClose, StringComparison.Ordinal);
                if (close < 0)
                {
                    if (final)
                        _pending.Clear();
                    return false;
                }
                Consume(close + ToolCallParser.CallClose.Length);
                _mode = Mode.Text;
                return true;
            }
        }
        return false;
    }

    /// <summary>How much of <paramref name="text"/> belongs to the arguments value; complete once it has closed.</summary>
    private int ScanArguments(string text, out bool complete)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (_inString)
            {
                if (_escaped)
                    _escaped = false;
                else if (c == '\\')
                    _escaped = true;
                else if (c == '"')
                    _inString = false;
                continue;
            }
            if (c == '"')
                _inString = true;
            else if (c is '{' or '[')
                _depth++;
            else if (c is '}' or ']')
            {
                _depth--;
                if (_depth == 0)
                {
                    complete = true;
                    return i + 1;
                }
            }
        }
        complete = false;
        return text.Length;
    }

    // Content is trimmed like the whole parse: leading blanks dropped, trailing ones held until more text follows.
    private void Content(string text)
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (_contentStarted)
                    _heldSpace.Append(c);
                continue;
            }
            var delta = _heldSpace.ToString() + c;
            _heldSpace.Clear();
            _contentStarted = true;
            if (_events.Count > 0 && _events[^1] is ContentDelta last)
                _events[^1] = new ContentDelta(last.Text + delta);
            else
                _events.Add(new ContentDelta(delta));
        }
    }

    private void Consume(int count) => _pending.Remove(0, count);

    private static int HeldBackLength(string text, string marker)
    {
        for (var n = Math.Min(marker.Length - 1, text.Length); n > 0; n--)
            if (text.AsSpan(text.Length - n).SequenceEqual(marker.AsSpan(0, n)))
                return n;
        return 0;
    }

    private static bool IsPrefixOfAny(string start, string[] markers) =>
        markers.Any(m => m.Length > start.Length && m.StartsWith(start, StringComparison.Ordinal));

    private static string? Unescape(string jsonStringBody)
    {
        try
        {
            return JsonSerializer.Deserialize<string>("\"" + jsonStringBody + "\"");
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
