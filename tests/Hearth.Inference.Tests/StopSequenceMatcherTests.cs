using Hearth.Inference.Generation;

namespace Hearth.Inference.Tests;

public sealed class StopSequenceMatcherTests
{
    [Fact]
    public void CatchesAStopSequenceSplitAcrossPieces()
    {
        var m = new StopSequenceMatcher(["END"]);
        var emitted = m.Push("hello E") + m.Push("N") + m.Push("D and more");
        Assert.True(m.Stopped);
        Assert.Equal("hello ", emitted + m.Flush());
    }

    [Fact]
    public void HoldsBackOnlyWhatCouldStartAStopSequence()
    {
        var m = new StopSequenceMatcher(["END"]);
        Assert.Equal("hello ", m.Push("hello E"));
        Assert.Equal("EX", m.Push("X"));
        Assert.False(m.Stopped);
    }

    [Fact]
    public void ReleasesAnUnfinishedPartialMatchAtTheEnd()
    {
        var m = new StopSequenceMatcher(["</answer>"]);
        Assert.Equal("42 ", m.Push("42 </ans"));
        Assert.Equal("</ans", m.Flush());
    }

    [Fact]
    public void StopsAtTheEarliestOfSeveralSequences()
    {
        var m = new StopSequenceMatcher(["world", "lo w"]);
        Assert.Equal("hel", m.Push("hello world"));
        Assert.Equal("", m.Push("more"));
    }

    [Fact]
    public void PassesTextThroughWhenThereAreNoStopSequences()
    {
        var m = new StopSequenceMatcher([]);
        Assert.Equal("anything", m.Push("anything"));
        Assert.Equal("", m.Flush());
    }
}
