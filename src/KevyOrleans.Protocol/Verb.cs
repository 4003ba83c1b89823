namespace KevyOrleans.Protocol;

/// <summary>The four kevy-elect messages. Upper case on the wire.</summary>
public enum Verb : byte
{
    /// <summary>HB: a member's periodic heartbeat.</summary>
    Heartbeat = 0,
    /// <summary>OFFER: a candidate asks for votes for a new epoch.</summary>
    Offer = 1,
    /// <summary>ACCEPT: a vote for an offered epoch.</summary>
    Accept = 2,
    /// <summary>ANNOUNCE: the winner of an epoch declares itself primary.</summary>
    Announce = 3,
}

/// <summary>Wire spelling and arity of the kevy-elect verbs.</summary>
public static class VerbNames
{
    /// <summary>The verb's upper-case wire spelling.</summary>
    /// <param name="verb">The verb to spell.</param>
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
