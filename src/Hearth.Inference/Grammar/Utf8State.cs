namespace Hearth.Inference.Grammar;

/// <summary>
/// Where a byte stream stands in well-formed UTF-8 (RFC 3629 §4, which rules out overlong forms and surrogates), so
/// that tokens carrying part of a character are allowed only where they continue or start one correctly.
/// </summary>
internal enum Utf8State : byte
{
    Complete, Need1, Need2, Need3, AfterE0, AfterED, AfterF0, AfterF4, Invalid,
}

internal static class Utf8
{
    public static Utf8State Advance(Utf8State state, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            state = Step(state, b);
            if (state == Utf8State.Invalid)
                break;
        }
        return state;
    }

    private static Utf8State Step(Utf8State state, byte b) => state switch
    {
        Utf8State.Complete => b switch
        {
            <= 0x7F => Utf8State.Complete,
            >= 0xC2 and <= 0xDF => Utf8State.Need1,
            0xE0 => Utf8State.AfterE0,
            0xED => Utf8State.AfterED,
            >= 0xE1 and <= 0xEF => Utf8State.Need2,
            0xF0 => Utf8State.AfterF0,
            >= 0xF1 and <= 0xF3 => Utf8State.Need3,
            0xF4 => Utf8State.AfterF4,
            _ => Utf8State.Invalid,
        },
        Utf8State.Need1 => Continuation(b, 0x80, 0xBF, Utf8State.Complete),
        Utf8State.Need2 => Continuation(b, 0x80, 0xBF, Utf8State.Need1),
        Utf8State.Need3 => Continuation(b, 0x80, 0xBF, Utf8State.Need2),
        Utf8State.AfterE0 => Continuation(b, 0xA0, 0xBF, Utf8State.Need1),
        Utf8State.AfterED => Continuation(b, 0x80, 0x9F, Utf8State.Need1),
        Utf8State.AfterF0 => Continuation(b, 0x90, 0xBF, Utf8State.Need2),
        Utf8State.AfterF4 => Continuation(b, 0x80, 0x8F, Utf8State.Need2),
        _ => Utf8State.Invalid,
    };

    private static Utf8State Continuation(byte b, byte low, byte high, Utf8State next) =>
        b >= low && b <= high ? next : Utf8State.Invalid;
}
