namespace KevyOrleans.Protocol;

/// <summary>A member list is invalid (group rules over a valid list: <see cref="ElectionGroupException"/>). The message quotes the offending entry.</summary>
public sealed class MemberListException : FormatException
{
    public MemberListException(string message) : base(message) { }

    public MemberListException(string message, Exception inner) : base(message, inner) { }

    public MemberListException() { }
}
