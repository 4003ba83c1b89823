namespace KevyOrleans.Protocol.Resp;

/// <summary>The RESP2 reply types.</summary>
public enum RespKind : byte
{
    /// <summary><c>+text</c>.</summary>
    SimpleString,

    /// <summary><c>-text</c>.</summary>
    Error,

    /// <summary><c>:number</c>.</summary>
    Integer,

    /// <summary><c>$length</c> then the bytes.</summary>
    BulkString,

    /// <summary><c>*count</c> then the items.</summary>
    Array,

    /// <summary>A null bulk string (<c>$-1</c>) or null array (<c>*-1</c>).</summary>
    Null,
}

/// <summary>One RESP2 reply. Text is decoded as UTF-8: every reply the data-node agent reads is text.</summary>
public sealed class RespValue
{
    private RespValue(RespKind kind, string? text, long integer, IReadOnlyList<RespValue>? items)
    {
        Kind = kind;
        Text = text;
        Integer = integer;
        Items = items;
    }

    /// <summary>The null reply.</summary>
    public static RespValue Null { get; } = new(RespKind.Null, null, 0, null);

    /// <summary>The reply's type.</summary>
    public RespKind Kind { get; }

    /// <summary>The text of a simple string, an error or a bulk string; null otherwise.</summary>
    public string? Text { get; }

    /// <summary>The value of an integer reply; 0 otherwise.</summary>
    public long Integer { get; }

    /// <summary>The items of an array reply; null otherwise.</summary>
    public IReadOnlyList<RespValue>? Items { get; }

    /// <summary>A simple string reply.</summary>
    public static RespValue Simple(string text) => new(RespKind.SimpleString, text, 0, null);

    /// <summary>An error reply.</summary>
    public static RespValue Error(string text) => new(RespKind.Error, text, 0, null);

    /// <summary>An integer reply.</summary>
    public static RespValue Number(long value) => new(RespKind.Integer, null, value, null);

    /// <summary>A bulk string reply.</summary>
    public static RespValue Bulk(string text) => new(RespKind.BulkString, text, 0, null);

    /// <summary>An array reply.</summary>
    public static RespValue Array(IReadOnlyList<RespValue> items) => new(RespKind.Array, null, 0, items);

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        RespKind.SimpleString => $"+{Text}",
        RespKind.Error => $"-{Text}",
        RespKind.Integer => $":{Integer}",
        RespKind.BulkString => $"${Text!.Length} chars",
        RespKind.Array => $"*{Items!.Count}",
        _ => "(nil)",
    };
}
