using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.Silo.Tests.Support;

/// <summary>A started <see cref="AdminSilo"/> shared by one test class.</summary>
public abstract class SiloFixture(string group, string? apiKey = null, Action<ISiloBuilder>? configure = null) : IAsyncLifetime
{
    public AdminSilo Silo { get; } = new(group, apiKey, configure);

    public Task InitializeAsync() => Silo.StartAsync();

    public Task DisposeAsync() => Silo.DisposeAsync().AsTask();
}

/// <summary>No API key. Group <c>inventory</c>.</summary>
public sealed class OpenSiloFixture() : SiloFixture("inventory");

/// <summary>Group <c>orders</c>, whose primary the status page test kills.</summary>
public sealed class StatusPageSiloFixture() : SiloFixture("orders");

/// <summary>Group <c>ledger</c>, whose primary the request-rule tests move by switchover.</summary>
public sealed class RequestRulesSiloFixture() : SiloFixture("ledger");

/// <summary>With <c>Kevy:Admin:ApiKey</c> set, and every log line kept. Group <c>payments</c>.</summary>
public sealed class KeyedSiloFixture : SiloFixture
{
    public const string ApiKey = "test-key-0123456789abcdef";

    public KeyedSiloFixture()
        : this(new CapturedLogs())
    {
    }

    private KeyedSiloFixture(CapturedLogs logs)
        : base("payments", ApiKey, silo => silo.Services.AddSingleton<ILoggerProvider>(logs))
    {
        Logs = logs;
    }

    public CapturedLogs Logs { get; }
}

/// <summary>With an API key, for <c>kevy-silo ctl</c>. Group <c>fleet</c>.</summary>
public sealed class CtlSiloFixture() : SiloFixture("fleet", ApiKey)
{
    public const string ApiKey = "ctl-key-0123456789abcdef";
}

/// <summary>Group <c>stock</c>, for <c>GET /fleet</c> and <c>GET /groups?state=</c>.</summary>
public sealed class FleetApiSiloFixture() : SiloFixture("stock");

/// <summary>With an API key, for maintenance mode over HTTP and <c>kevy-silo ctl pause|resume</c>. Group <c>maint</c>.</summary>
public sealed class PauseSiloFixture() : SiloFixture("maint", ApiKey)
{
    public const string ApiKey = "pause-key-0123456789abcdef";
}

/// <summary>With an API key, for run-time groups over HTTP and <c>kevy-silo ctl groups</c>. File group <c>seeded</c>.</summary>
public sealed class RuntimeGroupSiloFixture() : SiloFixture("seeded", ApiKey)
{
    public const string ApiKey = "groups-key-0123456789abcdef";
}
