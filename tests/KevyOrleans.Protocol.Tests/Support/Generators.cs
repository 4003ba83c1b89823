using CsCheck;

namespace KevyOrleans.Protocol.Tests.Support;

/// <summary>CsCheck generators for messages, frames and RESP-flavoured byte soup.</summary>
internal static class Generators
{
    /// <summary>Full range, biased towards small numbers and the extremes where digit counts change.</summary>
    public static readonly Gen<ulong> Number = Gen.OneOf(
        Gen.ULong,
        Gen.Int[0, 1000].Select(i => (ulong)i),
        Gen.Int[0, 4].Select(i => new[] { 0UL, 9UL, 10UL, ulong.MaxValue - 1, ulong.MaxValue }[i]));

    /// <summary>Valid node ids, and also any ASCII (the decoder returns ids as sent).</summary>
    public static readonly Gen<string> Text = Gen.OneOf(
        Gen.Char['!', '~'].Array[1, NodeId.MaxLength].Select(c => new string(c)),
        Gen.Char['\0', '\x7f'].Array[0, 40].Select(c => new string(c)));

    public static readonly Gen<Role> AnyRole = Gen.Enum<Role>();

    public static readonly Gen<ElectionMessage> Message = Gen.OneOf(
        Gen.Select(Number, Text, AnyRole, Number, ElectionMessage.Heartbeat),
        Gen.Select(Number, Text, Number, ElectionMessage.Offer),
        Gen.Select(Number, Text, ElectionMessage.Accept),
        Gen.Select(Number, Text, Text, ElectionMessage.Announce));

    public static readonly Gen<byte[]> Frame = Message.Select(m => FrameEncoder.Encode(m));

    private static readonly string[] Tokens =
    [
        "*", "$", "\r\n", "\r", "\n", "-", "+", " ", "x", "\x80", "\xff",
        "0", "1", "2", "3", "4", "5", "6", "8", "9", "00", "20",
        "HB", "hb", "OFFER", "ACCEPT", "ANNOUNCE", "primary", "replica", "candidate",
        "*0\r\n", "*3\r\n", "*4\r\n", "*5\r\n", "$1\r\n", "$2\r\n", "$6\r\n", "$7\r\n",
    ];

    /// <summary>Concatenated RESP fragments: far more likely than uniform bytes to get deep into a frame.</summary>
    public static readonly Gen<byte[]> RespSoup = Gen.Int[0, Tokens.Length - 1].Array[0, 40]
        .Select(ix => Decoding.Bytes(string.Concat(ix.Select(i => Tokens[i]))));

    private static Gen<string> Word(string[] valid, string[] invalid) =>
        Gen.Frequency((6, Gen.OneOf(valid)), (1, Gen.OneOf(invalid)));

    private static readonly Gen<string> NumberWord = Word(["0", "007", "42", "18446744073709551615"], ["18446744073709551616", "-1", "", "1a", " 1"]);
    private static readonly Gen<string> IdWord = Word(["n1", "replica-2", "a b", "", "10.0.0.1:6379"], ["n\x80"]);
    private static readonly Gen<string> RoleWord = Word(["primary", "Replica", "CANDIDATE"], ["leader", "", "primar"]);

    // A bulk string around a word; the declared length is usually right and sometimes off by one.
    private static Gen<string> Bulk(Gen<string> word) => Gen.Select(word, Gen.Int[-1, 14])
        .Select((w, skew) => $"${w.Length + (skew is -1 or 1 ? skew : 0)}\r\n{w}\r\n");

    private static readonly Gen<string[]> Elements = Gen.OneOf(
        Gen.Select(Bulk(Word(["HB", "hb"], ["HX"])), Bulk(NumberWord), Bulk(IdWord), Bulk(RoleWord), Bulk(NumberWord), (a, b, c, d, e) => new[] { a, b, c, d, e }),
        Gen.Select(Bulk(Word(["OFFER", "offer"], ["OFFEr!"])), Bulk(NumberWord), Bulk(IdWord), Bulk(NumberWord), (a, b, c, d) => new[] { a, b, c, d }),
        Gen.Select(Bulk(Word(["ACCEPT", "Accept"], ["ACCEPTS"])), Bulk(NumberWord), Bulk(IdWord), (a, b, c) => new[] { a, b, c }),
        Gen.Select(Bulk(Word(["ANNOUNCE"], ["PING"])), Bulk(NumberWord), Bulk(IdWord), Bulk(IdWord), (a, b, c, d) => new[] { a, b, c, d }));

    private static readonly Gen<string> WrongHeader = Gen.OneOf("*0\r\n", "*03\r\n", "*2\r\n", "*3\r\n", "*4\r\n", "*5\r\n", "*6\r\n", "*-1\r\n", "*4\n", "$3\r\n");

    /// <summary>
    /// Frames built element by element from mostly valid words, with the odd wrong word, wrong length,
    /// wrong header or truncation: reaches every outcome, not just the envelope checks.
    /// </summary>
    public static readonly Gen<byte[]> NearFrame = Gen.Select(Elements, Gen.Frequency((5, Gen.Const("")), (1, WrongHeader)), Gen.Int[0, 200])
        .Select((elements, header, keep) =>
        {
            var text = (header.Length > 0 ? header : $"*{elements.Length}\r\n") + string.Concat(elements);
            return Decoding.Bytes(keep < text.Length ? text[..keep] : text);
        });

    private static readonly byte[] Interesting = "*$\r\n0123456789-"u8.ToArray();

    private static readonly Gen<byte> MutationByte = Gen.OneOf(
        Gen.Byte,
        Gen.Int[0, Interesting.Length - 1].Select(i => Interesting[i]));

    /// <summary>A valid frame with 1 to 3 byte replacements, bit flips, insertions or deletions.</summary>
    public static readonly Gen<byte[]> MutatedFrame = Frame.SelectMany(frame =>
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, frame.Length - 1], MutationByte).Array[1, 3]
            .Select(mutations => Mutate(frame, mutations)));

    private static byte[] Mutate(byte[] frame, (int Kind, int Position, byte Value)[] mutations)
    {
        var bytes = new List<byte>(frame);
        foreach (var (kind, position, value) in mutations)
        {
            var at = Math.Min(position, bytes.Count - 1);
            if (at < 0)
            {
                bytes.Add(value);
                continue;
            }
            switch (kind)
            {
                case 0:
                    bytes[at] = value;
                    break;
                case 1:
                    bytes[at] ^= (byte)(1 << (value % 8));
                    break;
                case 2:
                    bytes.Insert(at, value);
                    break;
                default:
                    bytes.RemoveAt(at);
                    break;
            }
        }
        return [.. bytes];
    }
}
