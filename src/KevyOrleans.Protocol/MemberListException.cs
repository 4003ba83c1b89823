namespace KevyOrleans.Protocol;

/// <summary>A member list or group definition is invalid. The message quotes the offending entry.</summary>
public sealed class MemberListException : FormatException
{
    public MemberListException(string message) : base(message) { }

    public MemberListException(string message, Exception inner) : base(message, inner) { }

    public MemberListException() { }
}
