using System.Collections.Concurrent;
using KevyOrleans.Grains;
using KevyOrleans.Grains.DataNodes;

namespace KevyOrleans.Testing;

/// <summary>
/// An in-memory data node the test scripts: alive or dead, its offset, and what the member told it
/// to be. The same behaviour is proven against redis-server end to end (issue 5).
/// </summary>
public sealed class ScriptedDataNode : IDataNode
{
    public volatile bool Alive = true;

    public ulong Offset { get; set; }

    /// <summary>"master" or "replica of host:port", as the member last set it.</summary>
    public string Role { get; private set; } = "master";

    public bool Fenced { get; private set; }

    public ConcurrentQueue<string> Commands { get; } = new();

    public Task<DataNodeProbe> ProbeAsync(CancellationToken cancellationToken) =>
        Alive ? Task.FromResult(new DataNodeProbe(true, Offset)) : Task.FromException<DataNodeProbe>(new IOException("scripted data node is down"));

    public Task PromoteAsync(CancellationToken cancellationToken) => Do("promote", () => Role = "master");

    public Task FollowAsync(string primaryHost, int primaryClientPort, CancellationToken cancellationToken) =>
        Do($"follow {primaryHost}:{primaryClientPort}", () => Role = $"replica of {primaryHost}:{primaryClientPort}");

    public Task FenceAsync(CancellationToken cancellationToken) => Do("fence", () => Fenced = true);

    public Task UnfenceAsync(CancellationToken cancellationToken) => Do("unfence", () => Fenced = false);

    private Task Do(string command, Action apply)
    {
        if (!Alive)
        {
            return Task.FromException(new IOException("scripted data node is down"));
        }
        apply();
        Commands.Enqueue(command);
        return Task.CompletedTask;
    }
}

/// <summary>Every scripted data node of the test process (silos run in-process), by <c>group/member</c>.</summary>
public static class ScriptedDataNodes
{
    private static readonly ConcurrentDictionary<string, ScriptedDataNode> Nodes = new(StringComparer.Ordinal);

    public static ScriptedDataNode Get(string group, string member) => Nodes.GetOrAdd($"{group}/{member}", _ => new ScriptedDataNode());
}

public sealed class ScriptedDataNodeFactory : IDataNodeFactory
{
    public IDataNode Create(GroupDefinition group, string member)
    {
        ArgumentNullException.ThrowIfNull(group);
        return ScriptedDataNodes.Get(group.Name, member);
    }
}
