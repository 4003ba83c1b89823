using System.Text;

namespace KevyOrleans.Gateway.Tests.Harness;

/// <summary>Frames spelled out byte by byte in the golden file's format: no project code involved.</summary>
public static class RawFrames
{
    public static byte[] Array(params string[] elements)
    {
        var sb = new StringBuilder().Append('*').Append(elements.Length).Append("\r\n");
        foreach (var e in elements)
        {
            sb.Append('$').Append(Encoding.ASCII.GetByteCount(e)).Append("\r\n").Append(e).Append("\r\n");
        }
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    public static byte[] Hb(ulong epoch, string node, string role, ulong offset) => Array("HB", $"{epoch}", node, role, $"{offset}");

    public static byte[] Offer(ulong epoch, string candidate, ulong offset) => Array("OFFER", $"{epoch}", candidate, $"{offset}");

    public static byte[] Accept(ulong epoch, string accepter) => Array("ACCEPT", $"{epoch}", accepter);

    public static byte[] Announce(ulong epoch, string primary, string address) => Array("ANNOUNCE", $"{epoch}", primary, address);
}
