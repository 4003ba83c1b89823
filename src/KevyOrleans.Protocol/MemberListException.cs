namespace KevyOrleans.Protocol;

/// <summary>A member list is invalid (group rules over a valid list: <see cref="ElectionGroupException"/>). The message quotes the offending entry.</summary>
public sealed class MemberListException : FormatException
{
    /// <summary>A member list is invalid for the reason given.</summary>
    /// <param name="message">What is wrong, quoting the entry.</param>
    public MemberListException(string message) : base(message) { }

    /// <summary>A member list is invalid for the reason given, caused by <paramref name="inner"/>.</summary>
    /// <param name="message">What is wrong, quoting the entry.</param>
    /// <param name="inner">The underlying failure.</param>
    public MemberListException(string message, Exception inner) : base(message, inner) { }

    /// <summary>A member list is invalid, with no further detail.</summary>
    public MemberListException() { }
}
