using System.Net;
using System.Text.Json;
using KevyOrleans.Silo.Tests.Support;
using KevyOrleans.Testing;

namespace KevyOrleans.Silo.Tests;

/// <summary>One switchover per group at a time: a second request while one is in progress is refused with 409.</summary>
public sealed class SwitchoverConcurrencyTests
{
    [Fact]
    public async Task A_second_switchover_of_a_group_is_refused_while_the_first_is_in_progress()
    {
        await using var silo = new AdminSilo("switchlock");
        var (primary, target) = await silo.StartWithPrimaryAsync();
        // The target lags behind: the first switchover waits for it to catch up.
        ScriptedDataNodes.Get(silo.Group, primary).Offset = 1000;
        ScriptedDataNodes.Get(silo.Group, target).Offset = 10;

        var first = silo.PostSwitchoverAsync(target);
        // Generous: the first one lasts the whole SwitchoverTimeoutMs (10 s) unless the target catches up.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        (HttpStatusCode Status, string Body) second = (0, "");
        var answers = new List<string>();
        for (var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5); !first.IsCompleted && DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            second = await silo.PostSwitchoverAsync(target);
            answers.Add($"{(int)second.Status} {second.Body}");
            if (second.Status == HttpStatusCode.Conflict && second.Body.Contains("already in progress", StringComparison.Ordinal))
            {
                break;
            }
        }
        Assert.True(second.Body.Contains("already in progress", StringComparison.Ordinal),
            $"a concurrent switchover was not refused as already in progress; answers: {string.Join(" | ", answers)}; first: {(first.IsCompleted ? (await first).Body : "running")}");
        Assert.False(first.IsCompleted, "the first switchover ended before the second was refused");
        using (var error = JsonDocument.Parse(second.Body))
        {
            Assert.Contains($"group '{silo.Group}'", error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        // The target catches up: the first one completes, and the group takes switchovers again.
        ScriptedDataNodes.Get(silo.Group, target).Offset = 1000;
        var done = await first;
        Assert.True(done.Status == HttpStatusCode.OK, done.Body);
        await silo.PrimaryAsync(not: primary);
        var back = await silo.PostSwitchoverAsync(primary);
        Assert.DoesNotContain("already in progress", back.Body, StringComparison.Ordinal);
    }
}
