using System.Buffers.Binary;
using System.Diagnostics;
using Xunit.Abstractions;

namespace Hearth.Gguf.Tests.Reading;

/// <summary>
/// Mutates valid files thousands of ways (deterministic seeds) and checks the reader's promise: every image either
/// parses into a file whose tensors can all be read, or fails with a <see cref="GgufFormatException"/> — never any
/// other exception, never a hang.
/// </summary>
public class GgufFileFuzzTests(ITestOutputHelper output)
{
    private const int MutantsPerSeed = 2500;
    private static readonly TimeSpan PerCaseLimit = TimeSpan.FromSeconds(5);

    /// <summary>Values that sit on the edges of the reader's checks when written over a count, length, type or offset.</summary>
    private static readonly ulong[] Interesting =
    [
        0, 1, 2, 3, 4, 7, 8, 13, 31, 32, 33, 63, 64, 255, 256, 0x7FFF, 0xFFFF,
        0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 1UL << 32, 1UL << 40, 1UL << 60,
        0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, ulong.MaxValue, ulong.MaxValue - 1,
    ];

    public static TheoryData<int> Seeds => new() { 1, 2, 3, 4 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task MutatedFilesEitherParseOrFailWithAFormatError(int seed)
    {
        var bases = BaseImages();
        foreach (var image in bases)
            Assert.Null(Classify(image).Unexpected); // the starting points are valid

        var random = new Random(seed);
        var outcomes = new Dictionary<string, int> { ["parsed"] = 0, ["rejected"] = 0 };
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();

        for (var n = 0; n < MutantsPerSeed; n++)
        {
            var source = bases[random.Next(bases.Length)];
            var (mutant, description) = Mutate(source, random);
            Outcome result;
            try
            {
                result = await Task.Run(() => Classify(mutant)).WaitAsync(PerCaseLimit);
            }
            catch (TimeoutException)
            {
                failures.Add($"case {n} ({description}) did not finish within {PerCaseLimit.TotalSeconds} s");
                break;
            }
            if (result.Unexpected is { } e)
                failures.Add($"case {n} ({description}): {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            else
                outcomes[result.Parsed ? "parsed" : "rejected"]++;
            if (failures.Count >= 5)
                break;
        }

        output.WriteLine($"seed {seed}: {outcomes["parsed"]} parsed, {outcomes["rejected"]} rejected in {clock.ElapsedMilliseconds} ms");
        Assert.True(failures.Count == 0, $"seed {seed}:\n" + string.Join("\n\n", failures));
        // Both outcomes must occur, or the mutations are not reaching the checks they are meant to exercise.
        Assert.True(outcomes["parsed"] > 0 && outcomes["rejected"] > 0, $"parsed {outcomes["parsed"]}, rejected {outcomes["rejected"]}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"fuzzing took {clock.Elapsed}");
    }

    [Fact]
    public void EveryTruncationBeforeTheLastTensorByteIsAFormatError()
    {
        var image = SampleGguf.Write(SampleGguf.EveryValueType(), SampleGguf.SmallTensors());
        long lastByte;
        using (var whole = GgufFile.Parse(image))
            lastByte = whole.DataOffset + whole.Tensors.Max(t => (long)t.Offset + t.ByteSize);

        for (var length = 0; length < image.Length; length++)
        {
            var result = Classify(image[..length]);
            Assert.True(result.Unexpected is null, $"truncated to {length}: {result.Unexpected}");
            // Only the trailing padding after the last tensor may be cut off.
            Assert.True(result.Parsed == (length >= lastByte), $"truncated to {length} of {image.Length} bytes: parsed = {result.Parsed}");
        }
    }

    private static byte[][] BaseImages()
    {
        var aligned = SampleGguf.EveryValueType();
        aligned.Set("general.alignment", 64u);
        var small = new GgufMetadata();
        small.Set("general.name", "tiny");
        return
        [
            SampleGguf.Write(SampleGguf.EveryValueType(), SampleGguf.SmallTensors()),
            SampleGguf.Write(aligned, SampleGguf.SmallTensors(), version: 2),
            SampleGguf.Write(small, [GgufTensorSource.FromBytes("q", GgmlType.Q4_0, [64], SampleGguf.Pattern(36, seed: 1))]),
        ];
    }

    private static (byte[] Mutant, string Description) Mutate(byte[] source, Random random)
    {
        // Most fields live in the header; aim three quarters of the mutations there.
        var headerEnd = Math.Min(source.Length, FindDataOffset(source));
        int Position() => random.Next(4) == 0 ? random.Next(source.Length) : random.Next(headerEnd);

        var mutant = (byte[])source.Clone();
        switch (random.Next(6))
        {
            case 0:
            {
                var flips = 1 + random.Next(4);
                for (var i = 0; i < flips; i++)
                    mutant[Position()] ^= (byte)(1 << random.Next(8));
                return (mutant, $"{flips} bit flips");
            }
            case 1:
            {
                var at = Position();
                var width = new[] { 1, 2, 4, 8 }[random.Next(4)];
                var value = Interesting[random.Next(Interesting.Length)];
                Span<byte> bytes = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
                bytes[..Math.Min(width, mutant.Length - at)].CopyTo(mutant.AsSpan(at));
                return (mutant, $"{width}-byte overwrite with {value} at {at}");
            }
            case 2:
            {
                // Overwrite on a 4-byte boundary, where counts, lengths and type tags usually start.
                var at = Position() & ~3;
                var value = Interesting[random.Next(Interesting.Length)];
                var span = mutant.AsSpan(at);
                if (span.Length >= 8)
                    BinaryPrimitives.WriteUInt64LittleEndian(span, value);
                else if (span.Length >= 4)
                    BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)value);
                return (mutant, $"aligned overwrite with {value} at {at}");
            }
            case 3:
            {
                var length = random.Next(source.Length);
                return (source[..length], $"truncated to {length}");
            }
            case 4:
            {
                var at = Position();
                var inserted = new byte[1 + random.Next(16)];
                random.NextBytes(inserted);
                return ([.. source[..at], .. inserted, .. source[at..]], $"{inserted.Length} bytes inserted at {at}");
            }
            default:
            {
                var at = Position();
                var count = Math.Min(1 + random.Next(16), source.Length - at);
                return ([.. source[..at], .. source[(at + count)..]], $"{count} bytes deleted at {at}");
            }
        }
    }

    private static int FindDataOffset(byte[] image)
    {
        using var file = GgufFile.Parse(image);
        return (int)file.DataOffset;
    }

    private readonly record struct Outcome(bool Parsed, Exception? Unexpected);

    /// <summary>Parses an image and, when it parses, touches everything a caller might read.</summary>
    private static Outcome Classify(byte[] image)
    {
        try
        {
            using var file = GgufFile.Parse(image);
            foreach (var (_, value) in file.Metadata)
                _ = value.ToString();
            foreach (var tensor in file.Tensors)
            {
                var data = file.GetTensorData(tensor);
                Assert.Equal(tensor.ByteSize, data.Length);
            }
            _ = file.ParameterCount;
            return new Outcome(true, null);
        }
        catch (GgufFormatException)
        {
            return new Outcome(false, null);
        }
        catch (Exception e)
        {
            return new Outcome(false, e);
        }
    }
}
