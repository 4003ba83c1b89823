namespace KevyOrleans.Grains.DataNodes.Resp;

/// <summary>The data node answered with a RESP error; the message is the server's error text.</summary>
public class RespServerException : IOException
{
    /// <summary>An error reply without a message.</summary>
    public RespServerException()
    {
    }

    /// <summary>An error reply described by <paramref name="message"/>.</summary>
    /// <param name="message">The endpoint, command and the server's error text.</param>
    public RespServerException(string message) : base(message)
    {
    }

    /// <summary>An error reply described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">The endpoint, command and the server's error text.</param>
    /// <param name="innerException">The failure behind it.</param>
    public RespServerException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>
/// AUTH was refused (wrong password, unknown or disabled user). The message names the endpoint and the
/// user and carries the server's text, never the password.
/// </summary>
public sealed class RespAuthenticationException : RespServerException
{
    /// <summary>A refused AUTH without a message.</summary>
    public RespAuthenticationException()
    {
    }

    /// <summary>A refused AUTH described by <paramref name="message"/>.</summary>
    /// <param name="message">The endpoint, the user and the server's text; never the password.</param>
    public RespAuthenticationException(string message) : base(message)
    {
    }

    /// <summary>A refused AUTH described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">The endpoint, the user and the server's text; never the password.</param>
    /// <param name="innerException">The failure behind it.</param>
    public RespAuthenticationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>The peer sent something that is not RESP2, or more than the reader accepts.</summary>
public sealed class RespProtocolException : IOException
{
    /// <summary>A malformed reply without a message.</summary>
    public RespProtocolException()
    {
    }

    /// <summary>A malformed reply described by <paramref name="message"/>.</summary>
    /// <param name="message">The endpoint and what was wrong with the reply.</param>
    public RespProtocolException(string message) : base(message)
    {
    }

    /// <summary>A malformed reply described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">The endpoint and what was wrong with the reply.</param>
    /// <param name="innerException">The failure behind it.</param>
    public RespProtocolException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
