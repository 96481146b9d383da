namespace Hearth.Inference.Scheduling;

/// <summary>
/// A model's request queue is full: every sequence slot is busy and <see cref="Runtime.ModelLoadOptions.MaxQueuedRequests"/>
/// requests already wait. Thrown when the request is submitted, before it produces anything; servers answer
/// HTTP 429 with a <c>Retry-After</c> of <see cref="RetryAfter"/>.
/// </summary>
public sealed class SchedulerQueueFullException : Exception
{
    public SchedulerQueueFullException(int queuedRequests, int parallelSequences, TimeSpan retryAfter)
        : base($"the model is busy: {parallelSequences} requests are generating and {queuedRequests} are waiting (the most allowed); " +
               $"retry in {Math.Ceiling(retryAfter.TotalSeconds)} s, or raise the queue limit or the parallel sequences")
    {
        QueuedRequests = queuedRequests;
        ParallelSequences = parallelSequences;
        RetryAfter = retryAfter;
    }

    /// <summary>Requests waiting when this one was refused.</summary>
    public int QueuedRequests { get; }

    /// <summary>Sequence slots of the model (all busy).</summary>
    public int ParallelSequences { get; }

    /// <summary>A suggested wait before retrying, from how long recent requests took (1 to 60 seconds).</summary>
    public TimeSpan RetryAfter { get; }
}
