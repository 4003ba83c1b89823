namespace KevyOrleans.Protocol;

/// <summary>The role a member claims in its heartbeat. Lower case on the wire.</summary>
public enum Role : byte
{
    Replica = 0,
    Candidate = 1,
    Primary = 2,
}

/// <summary>Wire spelling of roles. Encoders write lower case; decoders accept any case.</summary>
public static class RoleNames
{
    public static string ToWire(this Role role) => role switch
    {
        Role.Primary => "primary",
        Role.Replica => "replica",
        Role.Candidate => "candidate",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown role"),
    };
}
