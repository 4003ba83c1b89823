namespace KevyOrleans.Gateway.Tests.Harness;

/// <summary>An external peer's elector loop: heartbeats to the hosted members every hb_interval, answering OFFERs if told to.</summary>
public sealed class PeerHeartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="frame">The heartbeat frame to send each round.</param>
    /// <param name="targets">Elect ports of the hosted members, by member id.</param>
    /// <param name="votes">When true, every OFFER received gets an ACCEPT on the candidate's port, as a kevy voter would.</param>
    public PeerHeartbeat(ExternalPeer peer, string id, Func<byte[]> frame, IReadOnlyDictionary<string, int> targets, bool votes = false)
    {
        _loop = Task.Run(async () =>
        {
            var answered = 0;
            while (!_stop.IsCancellationRequested)
            {
                foreach (var port in targets.Values)
                {
                    await peer.SendAsync(port, frame());
                }
                if (votes)
                {
                    var offers = peer.Frames("OFFER").ToList();
                    for (; answered < offers.Count; answered++)
                    {
                        var epoch = ulong.Parse(offers[answered][1], System.Globalization.CultureInfo.InvariantCulture);
                        if (targets.TryGetValue(offers[answered][2], out var candidatePort))
                        {
                            await peer.SendAsync(candidatePort, RawFrames.Accept(epoch, id));
                        }
                    }
                }
                try
                {
                    await Task.Delay(GatewaySilo.HeartbeatMs, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
