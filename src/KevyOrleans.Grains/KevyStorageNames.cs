namespace KevyOrleans.Grains;

/// <summary>The named grain storage the grains use.</summary>
public static class KevyStorageNames
{
    /// <summary>
    /// The election's durable state: members' epochs, votes and last announcements, and groups'
    /// election history. The value keeps its first name, <c>kevy-votes</c>: hosts with their own store
    /// (<c>Storage:Provider</c> <c>Custom</c>) register it under that name, and the docs and logs use it.
    /// </summary>
    public const string ElectionState = "kevy-votes";
}
