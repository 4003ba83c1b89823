namespace KevyOrleans.Protocol;

/// <summary>
/// The epoch's valid range (rule 9 beyond kevy). The wire carries a u64, but an epoch at or above
/// 2^63 is invalid input: a member that adopted 2^64-1 could never vote again, and one above it
/// would wrap and forget its votes. Frames carrying such an epoch are dropped, never adopted.
/// </summary>
public static class Epochs
{
    /// <summary>The first invalid epoch: 2^63.</summary>
    public const ulong Ceiling = 1UL << 63;

    /// <summary>True when <paramref name="epoch"/> is below <see cref="Ceiling"/>.</summary>
    public static bool IsValid(ulong epoch) => epoch < Ceiling;
}
