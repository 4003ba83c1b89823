using System.Globalization;
using System.Numerics;
using System.Text;

namespace KevyOrleans.Protocol.Tests.Support;

/// <summary>
/// A deliberately naive second decoder over a flat byte array, for differential tests: it reads one
/// byte at a time, parses numbers with ulong.TryParse and matches words with string comparison.
/// It states the decoder's contract (including its early-rejection points) as plainly as possible.
/// </summary>
internal sealed class ReferenceDecoder
{
    private readonly byte[] _bytes;
    private readonly int _cap;
    private int _pos;
    private int _frameStart;

    private ReferenceDecoder(byte[] bytes, int cap)
    {
        _bytes = bytes;
        _cap = cap;
    }

    /// <summary>Consumed is the frame end on Ok, the unfinished frame's start on Incomplete, -1 on a rejection.</summary>
    public static (DecodeStatus Status, ElectionMessage Message, int Consumed) Decode(byte[] bytes, int cap = FrameDecoder.DefaultMaxFrameBytes)
    {
        var d = new ReferenceDecoder(bytes, cap);
        while (true)
        {
            d._frameStart = d._pos;
            try
            {
                var message = d.Frame();
                if (message is { } m)
                {
                    return (DecodeStatus.Ok, m, d._pos);
                }
            }
            catch (StopException stop) when (stop.Status == DecodeStatus.Incomplete)
            {
                return bytes.Length - d._frameStart > cap
                    ? (DecodeStatus.FrameTooLarge, default, -1)
                    : (DecodeStatus.Incomplete, default, d._frameStart);
            }
            catch (StopException stop)
            {
                return (stop.Status, default, -1);
            }
        }
    }

    // Null for an empty array (skipped).
    private ElectionMessage? Frame()
    {
        Expect('*');
        var count = Length(5, rejectAbove: true);
        Require(_pos - _frameStart <= _cap, DecodeStatus.FrameTooLarge);
        if (count == 0)
        {
            return null;
        }
        Require(count >= 3, DecodeStatus.WrongShape);
        var verb = Bulk(isVerb: true).ToUpperInvariant();
        var expected = verb switch { "HB" => 5, "OFFER" => 4, "ACCEPT" => 3, "ANNOUNCE" => 4, _ => -1 };
        Require(expected == count, DecodeStatus.WrongShape);
        var epoch = Number(Bulk());
        var sender = Ascii(Bulk());
        switch (verb)
        {
            case "HB":
                var roleText = Bulk().ToLowerInvariant();
                var role = roleText switch { "primary" => Role.Primary, "replica" => Role.Replica, "candidate" => Role.Candidate, _ => (Role?)null };
                Require(role is not null, DecodeStatus.BadRole);
                return ElectionMessage.Heartbeat(epoch, sender, role!.Value, Number(Bulk()));
            case "OFFER":
                return ElectionMessage.Offer(epoch, sender, Number(Bulk()));
            case "ACCEPT":
                return ElectionMessage.Accept(epoch, sender);
            default:
                return ElectionMessage.Announce(epoch, sender, Ascii(Bulk()));
        }
    }

    // Content as Latin-1 text: one char per byte, so nothing is lost before the checks look at it.
    private string Bulk(bool isVerb = false)
    {
        Expect('$');
        var length = Length(_cap, rejectAbove: false);
        Require(_pos - _frameStart + length + 2 <= _cap, DecodeStatus.FrameTooLarge);
        Require(!isVerb || length is 2 or 5 or 6 or 8, DecodeStatus.WrongShape);
        Require(_bytes.Length - _pos >= length + 2, DecodeStatus.Incomplete);
        var text = Encoding.Latin1.GetString(_bytes, _pos, (int)length);
        _pos += (int)length;
        Expect('\r');
        Expect('\n');
        return text;
    }

    private long Length(long limit, bool rejectAbove)
    {
        var digits = new StringBuilder();
        while (true)
        {
            var c = (char)Next();
            if (c is >= '0' and <= '9')
            {
                digits.Append(c);
                Require(!rejectAbove || BigInteger.Parse(digits.ToString(), CultureInfo.InvariantCulture) <= limit, DecodeStatus.WrongShape);
                continue;
            }
            Require(c == '\r' && digits.Length > 0, DecodeStatus.BadEnvelope);
            Expect('\n');
            var value = BigInteger.Parse(digits.ToString(), CultureInfo.InvariantCulture);
            return value > limit ? limit + 1 : (long)value;
        }
    }

    private static ulong Number(string text)
    {
        // Digits only, checked by hand: ulong.TryParse accepts trailing '\0' characters even with
        // NumberStyles.None, which made this reference accept "15\0" (found by a random seed in CI).
        Require(text.Length > 0 && text.All(char.IsAsciiDigit), DecodeStatus.BadNumeric);
        Require(ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value), DecodeStatus.BadNumeric);
        return value;
    }

    private static string Ascii(string text)
    {
        Require(text.All(c => c < 0x80), DecodeStatus.BadEnvelope);
        return text;
    }

    private void Expect(char c) => Require(Next() == c, DecodeStatus.BadEnvelope);

    private byte Next()
    {
        Require(_pos < _bytes.Length, DecodeStatus.Incomplete);
        return _bytes[_pos++];
    }

    private static void Require(bool condition, DecodeStatus otherwise)
    {
        if (!condition)
        {
            throw new StopException(otherwise);
        }
    }

    private sealed class StopException(DecodeStatus status) : Exception(status.ToString())
    {
        public DecodeStatus Status { get; } = status;
    }
}
