using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using KevyOrleans.Abstractions;
using KevyOrleans.Grains;
using KevyOrleans.Protocol;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.Gateway.Inbound;

/// <summary>
/// The elect port of one hosted member: accepts connections from external members and hands their
/// frames to the member's grain with one-way calls. Any silo can run it: the call finds the activation.
/// </summary>
internal sealed class ElectListener : IAsyncDisposable
{
    private readonly GatewayOptions _options;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger _logger;
    private readonly IMemberGrain _grain;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private Socket? _socket;
    private Task? _acceptLoop;

    public ElectListener(GroupDefinition group, string member, IPEndPoint endpoint, IGrainFactory grains, GatewayOptions options,
        GatewayMetrics metrics, ILogger logger)
    {
        Group = group;
        Member = member;
        Endpoint = endpoint;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _grain = grains.GetGrain<IMemberGrain>(MemberKey.Format(group.Name, member));
        Name = MemberKey.Format(group.Name, member);
    }

    public GroupDefinition Group { get; }

    public string Member { get; }

    public string Name { get; }

    public IPEndPoint Endpoint { get; private set; }

    public int OpenConnections => _connections.Count;

    /// <summary>Binds and starts accepting; throws with the endpoint when the port cannot be bound.</summary>
    public void Start()
    {
        var socket = new Socket(Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(Endpoint);
            socket.Listen(128);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new InvalidOperationException($"cannot listen for member {Name} on {Endpoint}: {e.Message}", e);
        }
        _socket = socket;
        Endpoint = (IPEndPoint)socket.LocalEndPoint!;
        InboundLog.Listening(_logger, Name, Endpoint.ToString());
        _acceptLoop = Task.Run(() => AcceptAsync(_stopping.Token));
    }

    /// <summary>Hands a frame from a member to this listener's member grain; one-way, never awaited.</summary>
    public void Deliver(in ElectionMessage message) => _grain.Deliver(message).Ignore();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();
        foreach (var connection in _connections.Keys)
        {
            connection.Dispose();
        }
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _stopping.Dispose();
        InboundLog.Stopped(_logger, Name);
    }

    private async Task AcceptAsync(CancellationToken stopping)
    {
        var idle = 3 * Group.Timings.DownAfter;
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket!.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (stopping.IsCancellationRequested)
                {
                    return;
                }
                continue;
            }
            if (_connections.Count >= _options.MaxConnectionsPerListener)
            {
                _metrics.Rejected("too-many-connections");
                InboundLog.TooManyConnections(_logger, Name, client.RemoteEndPoint?.ToString() ?? "?", _connections.Count);
                client.Dispose();
                continue;
            }
            client.NoDelay = true;
            var connection = new InboundConnection(client, this, idle, _options.FrameCapBytes, _metrics, _logger);
            _metrics.ConnectionOpened("in");
            // Registered before it runs, so a connection that ends at once is still removed.
            var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var run = Task.Run(async () =>
            {
                await registered.Task.ConfigureAwait(false);
                await connection.RunAsync(stopping).ConfigureAwait(false);
            }, CancellationToken.None);
            _connections[client] = run;
            registered.SetResult();
            _ = run.ContinueWith(_ =>
            {
                _connections.TryRemove(client, out Task? _);
                _metrics.ConnectionClosed("in");
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
