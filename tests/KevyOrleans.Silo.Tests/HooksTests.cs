using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using KevyOrleans.Grains;
using KevyOrleans.Hosting;
using KevyOrleans.Silo.Tests.Support;
using KevyOrleans.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KevyOrleans.Silo.Tests;

/// <summary>
/// The webhook against a small HTTP listener in the test: events arrive as JSON, failed POSTs are
/// retried, and a hook that never answers delays no election.
/// </summary>
public sealed class HooksTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Elections_and_switchovers_arrive_as_json_and_failed_posts_are_retried()
    {
        await using var hook = HookListener.Start(failFirst: 2);
        await using var silo = new AdminSilo("hooked", configure: s => s.AddKevyHooks(o =>
        {
            o.Url = hook.Url;
            o.RetryBaseMs = 50;
        }));
        await silo.StartAsync();
        var primary = await silo.PrimaryAsync();

        await Eventually.Until(() => Task.FromResult(hook.Events.Any(e => Kind(e) == "election" && e.GetProperty("subject").GetString() == primary)),
            Patience, $"the hook receives the election of {primary}");
        Assert.Equal(2, hook.Refused); // the first two POSTs got 500 and were sent again
        var election = hook.Events.First(e => Kind(e) == "election");
        Assert.Equal("hooked", election.GetProperty("group").GetString());
        Assert.Equal(primary, election.GetProperty("member").GetString());
        Assert.True(election.GetProperty("epoch").GetUInt64() >= 1);
        Assert.True(election.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));

        var target = primary == "n1" ? "n2" : "n1";
        Assert.Equal(HttpStatusCode.OK, (await silo.SwitchoverAsync(target)).Status);
        await Eventually.Until(() => Task.FromResult(hook.Events.Any(e => Kind(e) == "switchover" && e.GetProperty("subject").GetString() == target)),
            Patience, $"the hook receives the switchover to {target}");
        await Eventually.Until(() => Task.FromResult(hook.Events.Any(e => Kind(e) == "election" && e.GetProperty("subject").GetString() == target)),
            Patience, $"the hook receives the election of {target}");
    }

    [Fact]
    public async Task A_hook_that_never_answers_delays_no_election()
    {
        await using var hook = HookListener.Start(hang: true);
        await using var silo = new AdminSilo("hanging-hook", configure: s => s.AddKevyHooks(o =>
        {
            o.Url = hook.Url;
            o.TimeoutMs = 60_000;
            o.QueueCapacity = 2;
        }));
        await silo.StartAsync();
        var primary = await silo.PrimaryAsync();
        await Eventually.Until(() => Task.FromResult(hook.Received > 0), Patience, "the hook was called");
        // The sender hangs on its first POST; fill the queue behind it, so the members' next events find it full.
        var sink = silo.App.Services.GetRequiredService<IKevyEventSink>();
        for (var i = 0; i < 5; i++)
        {
            sink.Publish(new KevyEvent("conflict", silo.Group, "test", 0, null, "filler", DateTimeOffset.UtcNow));
        }

        // Every POST hangs; the primary's data node dies; the group elects another within its usual bounds.
        ScriptedDataNodes.Get(silo.Group, primary).Alive = false;
        var successor = await silo.PrimaryAsync(not: primary);
        Assert.NotEqual(primary, successor);
        Assert.Equal(1, hook.Received); // the one sender is still waiting on its first POST
    }

    private static string? Kind(JsonElement e) => e.GetProperty("kind").GetString();

    /// <summary>An HTTP listener on a free loopback port that keeps every JSON body it accepts.</summary>
    private sealed class HookListener : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<JsonElement> _events = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly int _failFirst;
        private readonly bool _hang;
        private Task? _loop;
        private int _received;
        private int _refused;

        private HookListener(int failFirst, bool hang)
        {
            _failFirst = failFirst;
            _hang = hang;
            Url = $"http://127.0.0.1:{FreePort.Get()}/hook/";
            _listener.Prefixes.Add(Url);
        }

        public string Url { get; }

        public IReadOnlyCollection<JsonElement> Events => _events;

        public int Received => Volatile.Read(ref _received);

        public int Refused => Volatile.Read(ref _refused);

        public static HookListener Start(int failFirst = 0, bool hang = false)
        {
            var hook = new HookListener(failFirst, hang);
            hook._listener.Start();
            hook._loop = Task.Run(hook.ServeAsync);
            return hook;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            if (_loop is not null)
            {
                await _loop;
            }
            _listener.Close();
            _stop.Dispose();
        }

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                var n = Interlocked.Increment(ref _received);
                if (_hang)
                {
                    continue; // never answered
                }
                using var body = new StreamReader(context.Request.InputStream);
                var text = await body.ReadToEndAsync();
                if (n <= _failFirst)
                {
                    Interlocked.Increment(ref _refused);
                    context.Response.StatusCode = 500;
                }
                else
                {
                    _events.Enqueue(JsonDocument.Parse(text).RootElement.Clone());
                    context.Response.StatusCode = 204;
                }
                context.Response.Close();
            }
        }
    }
}
