using KevyOrleans.Election;

namespace KevyOrleans.Election.Tests.Simulated;

/// <summary>A member's durable storage in the simulation: survives crashes, can be told to fail writes.</summary>
internal sealed class DurableStore
{
    public DurableRecord? Committed { get; private set; }

    /// <summary>Chance that a write fails (exception, timeout or ETag conflict alike).</summary>
    public double FailureRate { get; set; }

    public int Writes { get; private set; }

    public int FailedWrites { get; private set; }

    /// <summary>Tries to write; false when the write failed and nothing was stored.</summary>
    public bool TryWrite(DurableRecord record, Random random)
    {
        if (FailureRate > 0 && random.NextDouble() < FailureRate)
        {
            FailedWrites++;
            return false;
        }
        Committed = record;
        Writes++;
        return true;
    }
}
