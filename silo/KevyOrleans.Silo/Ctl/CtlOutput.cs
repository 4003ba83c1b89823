using System.Globalization;
using System.Text;
using KevyOrleans.Silo.Admin;

namespace KevyOrleans.Silo.Ctl;

/// <summary>The tables <c>kevy-silo ctl</c> prints for people; <c>--json</c> prints the API's JSON instead.</summary>
internal static class CtlOutput
{
    /// <summary>One row per member: group, epoch and primary on every row, so <c>grep</c> and <c>awk</c> work.</summary>
    public static string Members(IEnumerable<GroupDetail> groups)
    {
        var rows = new List<string[]> { new[] { "GROUP", "EPOCH", "PRIMARY", "MEMBER", "ROLE", "STATE", "OFFSET", "LAG", "SILO", "KIND" } };
        foreach (var g in groups)
        {
            var primaryOffset = g.Members.FirstOrDefault(m => m.Id == g.Primary)?.Offset;
            foreach (var m in g.Members)
            {
                var lag = m.Witness || m.Offset is null || primaryOffset is null ? "-" : Show(primaryOffset.Value > m.Offset.Value ? primaryOffset - m.Offset : 0);
                rows.Add([g.Name, Show(g.Epoch), g.Primary ?? "-", m.Id, m.Role ?? "-", m.Up ? "up" : "DOWN", m.Witness ? "-" : Show(m.Offset), lag,
                    m.Silo ?? "-", (m.Hosted ? "hosted" : "external") + (m.Witness ? " witness" : "")]);
            }
        }
        return Table(rows);
    }

    public static string History(GroupHistory history) =>
        Table([["EPOCH", "PRIMARY", "AT"], .. history.Elections.Select(e => new[] { Show(e.Epoch), e.Primary, e.At.ToString("u", CultureInfo.InvariantCulture) })]);

    public static string Switchover(SwitchoverDone done) =>
        $"group '{done.Group}': '{done.Primary}' is primary in epoch {done.Epoch} (was '{done.PreviousPrimary}'; took {done.TookMs.ToString("0", CultureInfo.InvariantCulture)} ms)";

    private static string Show(ulong? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static string Table(IReadOnlyList<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
        }
        return text.ToString();
    }
}
