using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using KevyOrleans.Abstractions;
using KevyOrleans.Gateway.Security;
using KevyOrleans.Grains;
using KevyOrleans.Protocol;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.Gateway.Inbound;

/// <summary>
/// The elect port of one hosted member: accepts connections from external members and hands their
/// frames to the member's grain with one-way calls. Any silo can run it: the call finds the activation.
/// </summary>
/// <remarks>
/// Admission, in order (each refusal closes the socket at once and is counted by reason): the source
/// address must be one of an external member's (<see cref="GatewayOptions.RequireSourceAddress"/>,
/// <c>source-address</c>); the listener holds fewer than <see cref="GatewayOptions.MaxConnectionsPerListener"/>
/// (<c>too-many-connections</c>); the source holds fewer than <see cref="GatewayOptions.MaxConnectionsPerSource"/>
/// (<c>too-many-from-source</c>). Any exception while setting up a connection closes that connection
/// (<c>accept-failed</c>) and never ends the accept loop.
/// </remarks>
internal sealed class ElectListener : IAsyncDisposable
{
    private readonly GatewayOptions _options;
    private readonly SourceAddresses _sources;
    private readonly GatewayTls _tls;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IMemberGrain _grain;
    private readonly Member[] _external;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private readonly ConnectionsPerSource _perSource = new();
    private readonly ConcurrentDictionary<string, long> _refusals = new(StringComparer.Ordinal);
    private Socket? _socket;
    private Task? _acceptLoop;

    public ElectListener(GroupDefinition group, string member, IPEndPoint endpoint, IGrainFactory grains, GatewayOptions options,
        SourceAddresses sources, GatewayTls tls, GatewayMetrics metrics, ILogger logger, TimeProvider? time = null)
    {
        Group = group;
        Member = member;
        Endpoint = endpoint;
        _options = options;
        _sources = sources;
        _tls = tls;
        _metrics = metrics;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _grain = grains.GetGrain<IMemberGrain>(MemberKey.Format(group.Name, member));
        _external = [.. group.Election.Members.Where(m => !group.IsHosted(m.Id))];
        Name = MemberKey.Format(group.Name, member);
    }

    public GroupDefinition Group { get; }

    public string Member { get; }

    public string Name { get; }

    public IPEndPoint Endpoint { get; private set; }

    public int OpenConnections => _connections.Count;

    /// <summary>The member hosts' addresses, for the per-frame source check.</summary>
    public SourceAddresses Sources => _sources;

    /// <summary>A test seam: runs on every accepted socket before the listener sets it up (tests throw from it).</summary>
    internal Action<Socket>? AcceptedHook { get; set; }

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
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // a client gave up while waiting in the backlog (ECONNABORTED)
            }
            catch (Exception e)
            {
                _metrics.Rejected("accept-failed");
                TrustLog.AcceptFailed(_logger, Name, e);
                await Task.Delay(10, CancellationToken.None).ConfigureAwait(false); // never a hot loop
                continue;
            }
            try
            {
                Admit(client, idle, stopping);
            }
            catch (Exception e)
            {
                client.Dispose();
                _metrics.Rejected("accept-failed");
                TrustLog.AcceptFailed(_logger, Name, e);
            }
        }
    }

    private void Admit(Socket client, TimeSpan idle, CancellationToken stopping)
    {
        AcceptedHook?.Invoke(client);
        var remote = client.RemoteEndPoint as IPEndPoint ?? throw new InvalidOperationException("an accepted connection has no remote endpoint");
        var source = SourceAddresses.Normalize(remote.Address);
        if (_options.RequireSourceAddress && !_external.Any(m => _sources.Allows(m.Host, source)))
        {
            Refuse(client, remote, "source-address", $"{source} is no address of an external member of group '{Group.Name}' ({nameof(GatewayOptions.RequireSourceAddress)})");
            return;
        }
        if (_connections.Count >= _options.MaxConnectionsPerListener)
        {
            Refuse(client, remote, "too-many-connections", $"{_connections.Count} connections are open, the limit ({nameof(GatewayOptions.MaxConnectionsPerListener)})");
            return;
        }
        if (!_perSource.TryTake(source, _options.MaxConnectionsPerSource, out var open))
        {
            Refuse(client, remote, "too-many-from-source", $"{open} connections from {source} are open, the limit ({nameof(GatewayOptions.MaxConnectionsPerSource)})");
            return;
        }
        try
        {
            client.NoDelay = true;
            var connection = new InboundConnection(client, this, source, remote.ToString(), idle, _options, _tls, _metrics, _logger, _time);
            // Registered before it runs, so a connection that ends at once is still removed.
            var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var run = Task.Run(async () =>
            {
                await registered.Task.ConfigureAwait(false);
                await connection.RunAsync(stopping).ConfigureAwait(false);
            }, CancellationToken.None);
            _connections[client] = run;
            _metrics.ConnectionOpened("in");
            registered.SetResult();
            _ = run.ContinueWith(_ =>
            {
                _connections.TryRemove(client, out Task? _);
                _perSource.Release(source);
                _metrics.ConnectionClosed("in");
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        catch
        {
            _perSource.Release(source);
            throw;
        }
    }

    private void Refuse(Socket client, IPEndPoint remote, string reason, string detail)
    {
        client.Dispose();
        _metrics.Rejected(reason);
        var count = _refusals.AddOrUpdate(reason, 1, (_, n) => n + 1);
        if (count == 1 || count % TrustLog.RefusalLogEvery == 0)
        {
            TrustLog.ConnectionRefused(_logger, Name, remote.ToString(), reason, detail, count);
        }
    }
}
