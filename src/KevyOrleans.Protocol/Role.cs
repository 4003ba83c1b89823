namespace KevyOrleans.Protocol;

/// <summary>The role a member claims in its heartbeat. Lower case on the wire.</summary>
public enum Role : byte
{
    /// <summary>A follower of the primary; votes in elections.</summary>
    Replica = 0,
    /// <summary>Running for primary in a new epoch, after offering it.</summary>
    Candidate = 1,
    /// <summary>The member that won the current epoch and serves writes.</summary>
    Primary = 2,
}

/// <summary>Wire spelling of roles. Encoders write lower case; decoders accept any case.</summary>
public static class RoleNames
{
    /// <summary>The role's lower-case wire spelling.</summary>
    /// <param name="role">The role to spell.</param>
    public static string ToWire(this Role role) => role switch
    {
        Role.Primary => "primary",
        Role.Replica => "replica",
        Role.Candidate => "candidate",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown role"),
    };
}
