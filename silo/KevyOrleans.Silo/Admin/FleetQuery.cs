namespace KevyOrleans.Silo.Admin;

/// <summary>
/// What <c>GET /fleet</c> was asked: <c>state</c> (healthy, degraded, noprimary), <c>q</c> (part of a group's name,
/// case-insensitive), <c>page</c> (from 1) and <c>pageSize</c> (1 to <see cref="MaxPageSize"/>, default
/// <see cref="DefaultPageSize"/>). Pure: parsing and paging, no I/O.
/// </summary>
internal sealed record FleetQuery(string? State, string? Search, int Page, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>The query, or the sentence for a 400 that names the bad parameter.</summary>
    public static (FleetQuery? Query, string? Error) Parse(string? state, string? q, string? page, string? pageSize)
    {
        string? parsedState = null;
        if (!string.IsNullOrEmpty(state))
        {
            if (!GroupStates.TryParse(state, out var s))
            {
                return (null, $"state is '{state}'; it must be {GroupStates.Allowed}");
            }
            parsedState = s;
        }
        var number = 1;
        if (page is not null && (!int.TryParse(page, out number) || number < 1))
        {
            return (null, $"page is '{page}'; it must be a whole number from 1");
        }
        var size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, out size) || size is < 1 or > MaxPageSize))
        {
            return (null, $"pageSize is '{pageSize}'; it must be a whole number from 1 to {MaxPageSize}");
        }
        return (new FleetQuery(parsedState, string.IsNullOrWhiteSpace(q) ? null : q.Trim(), number, size), null);
    }

    /// <summary>The matching groups (in the snapshot's order, worst first) and the page asked for; past the last page, the last.</summary>
    public (int Matched, int Page, int Pages, IReadOnlyList<FleetGroup> Groups) Apply(FleetSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var matching = snapshot.Groups
            .Where(g => State is null || g.State == State)
            .Where(g => Search is null || g.Name.Contains(Search, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var pages = Math.Max(1, (matching.Count + PageSize - 1) / PageSize);
        var page = Math.Min(Page, pages);
        return (matching.Count, page, pages, matching.Skip((page - 1) * PageSize).Take(PageSize).ToList());
    }
}
