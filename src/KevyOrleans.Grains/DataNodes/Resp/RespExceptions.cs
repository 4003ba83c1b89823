namespace KevyOrleans.Grains.DataNodes.Resp;

/// <summary>The data node answered with a RESP error; the message is the server's error text.</summary>
public class RespServerException : IOException
{
    public RespServerException()
    {
    }

    public RespServerException(string message) : base(message)
    {
    }

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
    public RespAuthenticationException()
    {
    }

    public RespAuthenticationException(string message) : base(message)
    {
    }

    public RespAuthenticationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>The peer sent something that is not RESP2, or more than the reader accepts.</summary>
public sealed class RespProtocolException : IOException
{
    public RespProtocolException()
    {
    }

    public RespProtocolException(string message) : base(message)
    {
    }

    public RespProtocolException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
