using Hearth.Models.Naming;

namespace Hearth.Models.Store;

/// <summary>
/// One line of <c>hearth list</c>. <see cref="Problem"/> is set (and digest/size are empty) when the manifest could
/// not be read, so a damaged entry is shown rather than silently hidden.
/// </summary>
public sealed record ModelListEntry(ModelName Name, string Digest, long Size, DateTimeOffset Modified, string? Problem = null);

/// <summary>What <see cref="ModelStore.RemoveAsync"/> and garbage collection did.</summary>
/// <param name="DeletedBlobs">Digests of blobs no manifest referenced any more.</param>
/// <param name="SkippedReason">Why no blob was deleted even though some looked unreferenced (e.g. an unreadable manifest), or null.</param>
public sealed record GarbageCollectionResult(IReadOnlyList<string> DeletedBlobs, long FreedBytes, string? SkippedReason = null);
