namespace KevyOrleans.Protocol.Resp;

/// <summary>The outcome of one <see cref="RespReader"/> step. No step throws on input bytes.</summary>
public enum RespStatus
{
    /// <summary>The element was read; the reader is past it.</summary>
    Ok,

    /// <summary>More bytes are needed; the reader's position is unspecified, so restart from the element's start.</summary>
    Incomplete,

    /// <summary>The bytes are not RESP2 (a wrong type byte, a missing CRLF, a non-digit in a length).</summary>
    Malformed,

    /// <summary>A number or a line is above the limit the caller gave.</summary>
    AboveLimit,
}
