namespace KevyOrleans.Protocol;

/// <summary>The four kevy-elect messages. Upper case on the wire.</summary>
public enum Verb : byte
{
    Heartbeat = 0,
    Offer = 1,
    Accept = 2,
    Announce = 3,
}

public static class VerbNames
{
    public static string ToWire(this Verb verb) => verb switch
    {
        Verb.Heartbeat => "HB",
        Verb.Offer => "OFFER",
        Verb.Accept => "ACCEPT",
        Verb.Announce => "ANNOUNCE",
        _ => throw new ArgumentOutOfRangeException(nameof(verb), verb, "unknown verb"),
    };

    /// <summary>Number of RESP array elements, verb included.</summary>
    public static int ElementCount(this Verb verb) => verb switch
    {
        Verb.Heartbeat => 5,
        Verb.Offer => 4,
        Verb.Accept => 3,
        Verb.Announce => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(verb), verb, "unknown verb"),
    };
}
