namespace KevyOrleans.Grains;

/// <summary>The named grain storage the grains use.</summary>
public static class KevyStorageNames
{
    /// <summary>Members' epochs and votes, and groups' election history.</summary>
    public const string Votes = "kevy-votes";
}
