using System.Collections.Concurrent;
using System.Net;
using KevyOrleans.Protocol;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.Gateway.Security;

/// <summary>
/// The addresses each configured member host resolves to, for the source-address check of rule 12.
/// Literal addresses are taken as they are; names are resolved at start and again every refresh period,
/// so a member that moves to a new address (a DNS change) is accepted from it within one period. A
/// failed resolution keeps the last good set and is logged once until the name resolves again.
/// </summary>
internal sealed class SourceAddresses : IAsyncDisposable
{
    /// <summary>Resolves a host name; the default is <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>.</summary>
    internal delegate Task<IPAddress[]> Resolver(string host, CancellationToken cancellationToken);

    private readonly ConcurrentDictionary<string, IPAddress[]> _known = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _failing = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _names = [];
    private readonly TimeSpan _refresh;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Resolver _resolve;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public SourceAddresses(IEnumerable<string> hosts, TimeSpan refresh, ILogger logger, TimeProvider? time = null, Resolver? resolve = null)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        _refresh = refresh;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _resolve = resolve ?? ((host, ct) => Dns.GetHostAddressesAsync(host, ct));
        foreach (var host in hosts.Select(Bare).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(host, out var address))
            {
                _known[host] = [Normalize(address)];
            }
            else
            {
                _names.Add(host);
            }
        }
    }

    /// <summary>An IPv4 address seen on a dual-mode socket as <c>::ffff:a.b.c.d</c> is the IPv4 address.</summary>
    public static IPAddress Normalize(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    /// <summary>True when <paramref name="address"/> is one of the addresses <paramref name="host"/> resolved to last.</summary>
    public bool Allows(string host, IPAddress address) =>
        _known.TryGetValue(Bare(host), out var set) && Array.IndexOf(set, Normalize(address)) >= 0;

    /// <summary>Resolves every name once now, then again every refresh period until disposed.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        if (_names.Count > 0)
        {
            _loop = Task.Run(RefreshLoopAsync, CancellationToken.None);
        }
    }

    /// <summary>Resolves every name once; failures keep the last good set.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        foreach (var name in _names)
        {
            try
            {
                var found = (await _resolve(name, cancellationToken).ConfigureAwait(false)).Select(Normalize).Distinct().ToArray();
                if (found.Length == 0)
                {
                    throw new InvalidOperationException("it resolves to no address");
                }
                var previous = _known.GetValueOrDefault(name);
                _known[name] = found;
                if (_failing.Remove(name))
                {
                    TrustLog.ResolveRecovered(_logger, name, Describe(found));
                }
                else if (previous is not null && !previous.ToHashSet().SetEquals(found))
                {
                    TrustLog.ResolveChanged(_logger, name, Describe(found));
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                if (_failing.Add(name))
                {
                    TrustLog.ResolveFailed(_logger, name, e.Message, Describe(_known.GetValueOrDefault(name) ?? []));
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        _stop.Dispose();
    }

    private async Task RefreshLoopAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(_refresh, _time, _stop.Token).ConfigureAwait(false);
                await RefreshAsync(_stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private static string Bare(string host) => Endpoints.Bare(host);

    private static string Describe(IPAddress[] addresses) => addresses.Length == 0 ? "no address" : string.Join(", ", addresses.Select(a => a.ToString()));
}
