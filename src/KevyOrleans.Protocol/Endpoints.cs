namespace KevyOrleans.Protocol;

/// <summary>Why <see cref="Endpoints.TrySplitHost"/> refused a <c>host:rest</c> text.</summary>
public enum HostSplitError
{
    /// <summary>The text split.</summary>
    None,

    /// <summary>A <c>[</c> with no <c>]:</c> after it.</summary>
    BadBrackets,

    /// <summary>No colon after the host.</summary>
    MissingPort,

    /// <summary>An empty host (<c>:6379</c> or <c>[]:6379</c>).</summary>
    MissingHost,

    /// <summary>Whitespace inside the host.</summary>
    Whitespace,
}

/// <summary>
/// Host and port text, the one place that knows IPv6 hosts are written in brackets
/// (<c>[::1]:6379</c>) in member lists and endpoints, and bare (<c>::1</c>) for sockets, DNS and <c>REPLICAOF</c>.
/// </summary>
public static class Endpoints
{
    /// <summary>The host without its brackets: <c>[::1]</c> becomes <c>::1</c>; any other host is returned as is.</summary>
    public static string Bare(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Trim('[', ']');
    }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> name the same host: brackets ignored, ASCII case ignored.</summary>
    public static bool SameHost(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return string.Equals(Bare(a), Bare(b), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary><c>host:port</c>, with a bare IPv6 host put in brackets so the port stays readable.</summary>
    public static string Format(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        var shown = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{shown}:{port}");
    }

    /// <summary>
    /// Splits <c>host:rest</c> or <c>[v6]:rest</c> at the colon after the host. The host keeps its
    /// brackets; <paramref name="rest"/> is everything after that colon (ports, unparsed).
    /// </summary>
    public static HostSplitError TrySplitHost(string text, out string host, out string rest)
    {
        ArgumentNullException.ThrowIfNull(text);
        host = "";
        rest = "";
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                return HostSplitError.BadBrackets;
            }
            host = text[..(close + 1)];
            rest = text[(close + 2)..];
        }
        else
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return HostSplitError.MissingPort;
            }
            host = text[..colon];
            rest = text[(colon + 1)..];
        }
        if (host.Length == 0 || host == "[]")
        {
            return HostSplitError.MissingHost;
        }
        return host.Any(char.IsWhiteSpace) ? HostSplitError.Whitespace : HostSplitError.None;
    }
}
