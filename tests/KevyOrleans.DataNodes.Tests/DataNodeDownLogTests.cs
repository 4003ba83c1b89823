using System.Diagnostics.Metrics;
using System.Net.Sockets;
using KevyOrleans.Election;
using KevyOrleans.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.DataNodes.Tests;

/// <summary>
/// A data node that is down is an expected event: the member that tries to drive it logs one Warning
/// line that says why, without a stack trace; the exception goes to Debug.
/// </summary>
public sealed class DataNodeDownLogTests
{
    [Fact]
    public async Task A_refused_connection_logs_one_warning_without_the_exception_and_the_exception_at_debug()
    {
        var port = FreePort.Get(); // nothing listens: every connect is refused
        var group = new GroupDefinition("orders",
            new ElectionGroup(MemberList.Parse($"n1@127.0.0.1:7001:{FreePort.Get()},n2@127.0.0.1:7002:{port},w3@127.0.0.1:7003"), ["w3"]),
            ["n2"], ElectionTimings.Default, DataNodeKind.Redis);
        await using var node = (RespDataNode)new RespDataNodeFactory().Create(group, "n2");
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var logger = new CapturingLogger();
        var member = new HostedMember(group, "n2", new MemoryMemberStore(), new MemoryMemberOutbox(), node, TimeProvider.System,
            logger, new KevyMetrics(services.GetRequiredService<IMeterFactory>()), TimeSpan.FromSeconds(2), new Random(1));

        await member.ReceiveAsync(ElectionMessage.Announce(2, "n1", "127.0.0.1:7001"));

        var failed = Assert.Single(logger.Lines, l => l.Id.Id == 1004);
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.Null(failed.Exception);
        Assert.Contains("ConnectionRefused", failed.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Environment.NewLine, failed.Message, StringComparison.Ordinal);
        var detail = Assert.Single(logger.Lines, l => l.Id.Id == 1503);
        Assert.Equal(LogLevel.Debug, detail.Level);
        Assert.IsType<SocketException>(Assert.IsAssignableFrom<IOException>(detail.Exception).InnerException);
        Assert.All(logger.Lines.Where(l => l.Level >= LogLevel.Warning), l => Assert.Null(l.Exception));
    }
}
