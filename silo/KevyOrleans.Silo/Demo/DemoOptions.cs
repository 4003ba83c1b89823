using System.Globalization;

namespace KevyOrleans.Silo.Demo;

/// <summary><c>kevy-silo demo [--admin-url URL] [--kill-primary-after SECONDS] [--exit-after-failover]</c>.</summary>
public sealed record DemoOptions(string AdminUrl, TimeSpan? KillPrimaryAfter, bool ExitAfterFailover)
{
    public const string Usage = "usage: kevy-silo demo [--admin-url http://127.0.0.1:8080] [--kill-primary-after SECONDS] [--exit-after-failover]";

    public static DemoOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? adminUrl = null;
        TimeSpan? kill = null;
        var exit = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--admin-url" when i + 1 < args.Count:
                    adminUrl = args[++i];
                    break;
                case "--kill-primary-after" when i + 1 < args.Count
                    && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0:
                    kill = TimeSpan.FromSeconds(seconds);
                    i++;
                    break;
                case "--exit-after-failover":
                    exit = true;
                    break;
                default:
                    throw new ConfigurationProblem($"demo: unexpected argument '{args[i]}'. {Usage}");
            }
        }
        if (adminUrl is null)
        {
            // The usual port when it is free; any free port otherwise, rather than failing.
            adminUrl = DemoPorts.IsFree(8080) ? "http://127.0.0.1:8080" : $"http://127.0.0.1:{DemoPorts.Next()}";
        }
        return new DemoOptions(adminUrl, kill, exit);
    }
}
