namespace KevyOrleans.Protocol;

/// <summary>
/// A group breaks a group rule of PROTOCOL.md (a witness outside the member list, only witnesses, a
/// witness id that sorts before a data node's). The member list itself was valid; the message names
/// the offending member and how to fix it.
/// </summary>
public sealed class ElectionGroupException : FormatException
{
    /// <summary>A group rule is broken; <paramref name="message"/> says which.</summary>
    public ElectionGroupException(string message) : base(message) { }

    /// <summary>A group rule is broken; <paramref name="message"/> says which, <paramref name="inner"/> why.</summary>
    public ElectionGroupException(string message, Exception inner) : base(message, inner) { }

    /// <summary>A group rule is broken.</summary>
    public ElectionGroupException() { }
}
