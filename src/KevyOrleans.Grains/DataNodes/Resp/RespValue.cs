namespace KevyOrleans.Grains.DataNodes.Resp;

/// <summary>The RESP2 reply types.</summary>
public enum RespKind : byte
{
    SimpleString,
    Error,
    Integer,
    BulkString,
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

    public static RespValue Null { get; } = new(RespKind.Null, null, 0, null);

    public RespKind Kind { get; }

    /// <summary>The text of a simple string, an error or a bulk string; null otherwise.</summary>
    public string? Text { get; }

    public long Integer { get; }

    public IReadOnlyList<RespValue>? Items { get; }

    public static RespValue Simple(string text) => new(RespKind.SimpleString, text, 0, null);

    public static RespValue Error(string text) => new(RespKind.Error, text, 0, null);

    public static RespValue Number(long value) => new(RespKind.Integer, null, value, null);

    public static RespValue Bulk(string text) => new(RespKind.BulkString, text, 0, null);

    public static RespValue Array(IReadOnlyList<RespValue> items) => new(RespKind.Array, null, 0, items);

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
