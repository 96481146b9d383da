namespace Hearth.Gguf.Blocks;

/// <summary>Runs block work over contiguous ranges of blocks, in parallel once a tensor is large enough to pay for it.</summary>
internal static class BlockRanges
{
    /// <summary>Below about a million weights the work takes well under a millisecond; threads would cost more than they save.</summary>
    public const int ParallelThreshold = 1 << 20;

    /// <summary>Calls <paramref name="body"/>(firstBlock, blockCount) for ranges that together cover [0, <paramref name="blocks"/>).</summary>
    public static void Run(int blocks, long elements, Action<int, int> body)
    {
        int workers = Environment.ProcessorCount;
        if (elements < ParallelThreshold || workers == 1 || blocks < 2)
        {
            body(0, blocks);
            return;
        }

        // A few ranges per core evens out cores that get descheduled, without tiny ranges.
        int ranges = Math.Min(blocks, workers * 4);
        Parallel.For(0, ranges, r =>
        {
            int first = (int)((long)blocks * r / ranges);
            int end = (int)((long)blocks * (r + 1) / ranges);
            body(first, end - first);
        });
    }
}
