using LLama.Native;

namespace Hearth.Inference.Scheduling;

/// <summary>
/// The prompt cache: every slot's KV entries outlive its request, and a new request starts in the slot whose entries
/// share the longest prefix with its prompt, so only the rest is evaluated (llama-server's slot selection by longest
/// common prefix). Entries of a busy slot can be copied: the context uses a unified KV cache, where
/// <c>llama_memory_seq_cp</c> only tags the source's cells with the destination's sequence id too (no data is copied),
/// and <c>seq_rm</c> then drops the tag from the cells past the shared part.
/// </summary>
internal sealed partial class DecodeScheduler
{
    private long _tick;

    /// <summary>Picks a free slot for <paramref name="prompt"/> and readies its cache; returns it and the prompt tokens it already holds.</summary>
    private (SequenceSlot Slot, int Cached) ClaimSlot(LLamaToken[] prompt)
    {
        SequenceSlot? best = null, leastRecent = null, donor = null;
        int bestPrefix = -1, donorPrefix = 0;
        foreach (var slot in _slots)
        {
            var prefix = slot.CommonPrefixLength(prompt);
            if (!slot.IsFree)
            {
                if (prefix > donorPrefix)
                    (donor, donorPrefix) = (slot, prefix);
                continue;
            }
            // Ties go to the least recently used slot, keeping fresher caches for later requests.
            if (prefix > bestPrefix || (prefix == bestPrefix && slot.LastUsed < best!.LastUsed))
                (best, bestPrefix) = (slot, prefix);
            if (leastRecent is null || slot.LastUsed < leastRecent.LastUsed)
                leastRecent = slot;
        }
        if (best is null)
            throw new InvalidOperationException("no free sequence slot for an admitted request (a scheduler bug)");

        var target = best;
        var reuse = bestPrefix;
        if (donor is not null && donorPrefix > bestPrefix)
        {
            // The least recently used free slot gives up its own entries, the ones least likely to be wanted again.
            target = leastRecent!;
            CopySequence(donor, target);
            reuse = donorPrefix;
        }
        // The last prompt token is always evaluated again: its logits give the first token of the reply.
        reuse = Keep(target, Math.Min(reuse, prompt.Length - 1));
        target.LastUsed = ++_tick;
        return (target, reuse);
    }

    private void CopySequence(SequenceSlot from, SequenceSlot to)
    {
        Forget(to);
        _context.MemorySequenceCopy(from.Id, to.Id, -1, -1);
        to.Cached.AddRange(from.Cached);
    }

    /// <summary>
    /// Drops the slot's entries from position <paramref name="keep"/> on. Returns how many entries remain usable:
    /// <paramref name="keep"/>, or 0 when the memory cannot cut the sequence there and it was cleared instead.
    /// </summary>
    private int Keep(SequenceSlot slot, int keep)
    {
        if (keep < slot.Cached.Count)
            _context.MemorySequenceRemove(slot.Id, keep, -1);
        // Recurrent and hybrid memories cannot drop part of a sequence (llama_memory_seq_rm returns false, which
        // LLamaSharp does not pass on), so check that the sequence now ends at keep − 1. A sliding-window cache
        // must also still hold the last n_swa positions before keep (llama-server's "forcing full prompt
        // re-processing due to lack of cache data" check).
        var usable = (int)_context.MemorySequenceMaxPosition(slot.Id) == keep - 1;
        if (usable && keep > 0 && _model.Model.SWACount > 0)
            usable = (int)_context.MemorySequenceMinPosition(slot.Id) <= Math.Max(0, keep - _model.Model.SWACount);
        if (!usable)
        {
            Forget(slot);
            return 0;
        }
        slot.Cached.RemoveRange(keep, slot.Cached.Count - keep);
        return keep;
    }

    /// <summary>Removes every KV entry of the slot's sequence (never fails, whatever the memory type).</summary>
    private void Forget(SequenceSlot slot)
    {
        _context.MemorySequenceRemove(slot.Id, -1, -1);
        slot.Cached.Clear();
    }
}
