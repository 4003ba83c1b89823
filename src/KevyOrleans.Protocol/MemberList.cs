using System.Collections;
using System.Globalization;

namespace KevyOrleans.Protocol;

/// <summary>
/// A group's static member list, parsed from kevy's own <c>[cluster] peers</c> string:
/// comma-separated <c>id@host:elect_port[:client_port]</c> entries.
/// </summary>
public sealed class MemberList : IReadOnlyList<Member>
{
    private readonly Member[] _members;
    private readonly Dictionary<string, Member> _byId;

    /// <summary>Builds a list from parsed members; throws <see cref="MemberListException"/> on an invalid or duplicate node id or an empty list.</summary>
    /// <param name="members">The members, in list order.</param>
    public MemberList(IEnumerable<Member> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        _members = [.. members];
        _byId = new Dictionary<string, Member>(StringComparer.Ordinal);
        foreach (var m in _members)
        {
            if (!NodeId.IsValid(m.Id, out var error))
            {
                throw new MemberListException($"member '{m}': {error}");
            }
            if (!_byId.TryAdd(m.Id, m))
            {
                throw new MemberListException($"member '{m}': duplicate node id '{m.Id}'");
            }
        }
        if (_members.Length == 0)
        {
            throw new MemberListException("the member list is empty");
        }
    }

    /// <summary>Number of members, witnesses included.</summary>
    public int Count => _members.Length;

    /// <summary>The member at <paramref name="index"/> in list order.</summary>
    /// <param name="index">Zero-based position in the list.</param>
    public Member this[int index] => _members[index];

    /// <summary>Votes needed to win: N/2 + 1, N counting every member (witnesses too).</summary>
    public int Quorum => (_members.Length / 2) + 1;

    /// <summary>True when <paramref name="id"/> is the node id of a member.</summary>
    /// <param name="id">A node id.</param>
    public bool Contains(string id) => _byId.ContainsKey(id);

    /// <summary>The member with node id <paramref name="id"/>, or null when there is none.</summary>
    /// <param name="id">A node id.</param>
    public Member? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The member with node id <paramref name="id"/>; throws <see cref="KeyNotFoundException"/> when there is none.</summary>
    /// <param name="id">A node id.</param>
    public Member Get(string id) =>
        _byId.TryGetValue(id, out var m) ? m : throw new KeyNotFoundException($"'{id}' is not a member of this group");

    /// <summary>Enumerates the members in list order.</summary>
    public IEnumerator<Member> GetEnumerator() => ((IEnumerable<Member>)_members).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The list in kevy's syntax.</summary>
    public override string ToString() => string.Join(',', _members.Select(m => m.ToString()));

    /// <summary>Parses a member list; throws <see cref="MemberListException"/> quoting the bad entry.</summary>
    public static MemberList Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var members = new List<Member>();
        foreach (var raw in text.Split(','))
        {
            var entry = raw.Trim();
            if (entry.Length == 0)
            {
                throw new MemberListException(text.Trim().Length == 0
                    ? "the member list is empty"
                    : $"member list '{text}' has an empty entry");
            }
            members.Add(ParseEntry(entry));
        }
        return new MemberList(members);
    }

    /// <summary>Parses without throwing; <paramref name="error"/> names the bad entry.</summary>
    public static bool TryParse(string text, out MemberList? list, out string? error)
    {
        try
        {
            list = Parse(text);
            error = null;
            return true;
        }
        catch (MemberListException e)
        {
            list = null;
            error = e.Message;
            return false;
        }
    }

    private static Member ParseEntry(string entry)
    {
        var at = entry.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            throw new MemberListException($"member '{entry}': expected id@host:elect_port[:client_port]");
        }
        var id = entry[..at];
        if (!NodeId.IsValid(id, out var idError))
        {
            throw new MemberListException($"member '{entry}': {idError}");
        }
        var (host, ports) = SplitHost(entry, entry[(at + 1)..]);
        var parts = ports.Split(':');
        if (parts.Length is < 1 or > 2 || parts[0].Length == 0)
        {
            throw new MemberListException($"member '{entry}': expected id@host:elect_port[:client_port]");
        }
        var elect = ParsePort(entry, parts[0]);
        return parts.Length == 2
            ? new Member(id, host, elect, ParsePort(entry, parts[1]), HasSeparateClientPort: true)
            : new Member(id, host, elect, elect, HasSeparateClientPort: false);
    }

    // "host:p[:p]" or "[v6]:p[:p]": returns the host and the text after its colon.
    private static (string Host, string Ports) SplitHost(string entry, string rest)
    {
        var error = Endpoints.TrySplitHost(rest, out var host, out var ports);
        return error switch
        {
            HostSplitError.None => (host, ports),
            HostSplitError.BadBrackets => throw new MemberListException($"member '{entry}': bad bracketed host; expected [address]:elect_port"),
            HostSplitError.MissingPort => throw new MemberListException($"member '{entry}': missing port; expected id@host:elect_port[:client_port]"),
            HostSplitError.MissingHost => throw new MemberListException($"member '{entry}': missing host"),
            _ => throw new MemberListException($"member '{entry}': host '{host}' contains whitespace"),
        };
    }

    private static int ParsePort(string entry, string text)
    {
        if (text.Length == 0 || !text.All(char.IsAsciiDigit)
            || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            throw new MemberListException($"member '{entry}': bad port '{text}'; expected a number from 1 to 65535");
        }
        return port;
    }
}
