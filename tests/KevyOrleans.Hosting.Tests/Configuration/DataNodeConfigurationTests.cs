using KevyOrleans.Grains;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Hosting;
using KevyOrleans.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KevyOrleans.Hosting.Tests.Configuration;

/// <summary>The data-node agent's configuration: credentials per group, and which driver a silo gets.</summary>
public sealed class DataNodeConfigurationTests
{
    private const string Secret = "s3cret-never-shown";

    private static KevyElectionOptions Options(string? user, string? password) => new()
    {
        Groups = [new KevyGroupOptions
        {
            Name = "orders", Peers = "n1@127.0.0.1:6301:6101,n2@127.0.0.1:6302:6102,w3@127.0.0.1:6303",
            Hosted = "n1,n2,w3", Witnesses = "w3", DataNodes = "redis", DataNodeUser = user, DataNodePassword = password,
        }],
    };

    [Theory]
    [InlineData(null, null, null)]
    [InlineData(null, Secret, "password ***")]
    [InlineData("agent", Secret, "user 'agent', password ***")]
    public void Credentials_reach_the_group_and_never_show_the_password(string? user, string? password, string? shown)
    {
        var result = KevyConfiguration.Read(Options(user, password));
        Assert.Empty(result.Errors);
        var credentials = Assert.Single(result.Groups).DataNodeCredentials;
        Assert.Equal(shown, credentials?.ToString());
        Assert.Equal(password, credentials?.Password);
        Assert.Equal(user, credentials?.User);
    }

    [Fact]
    public void A_user_without_a_password_is_an_error_naming_both_keys()
    {
        var result = KevyConfiguration.Read(Options("agent", ""));
        Assert.Equal("Kevy:Groups:0:DataNodeUser is 'agent' but Kevy:Groups:0:DataNodePassword is empty; an ACL user needs a password",
            Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void The_keys_bind_from_configuration()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kevy:Groups:0:DataNodeUser"] = "agent",
            ["Kevy:Groups:0:DataNodePassword"] = Secret,
        }).Build();
        var options = new KevyElectionOptions();
        config.GetSection("Kevy").Bind(options);
        Assert.Equal(("agent", Secret), (options.Groups[0].DataNodeUser, options.Groups[0].DataNodePassword));
    }

    [Fact]
    public void A_silo_drives_data_nodes_over_RESP_unless_the_host_registers_its_own_driver()
    {
        Assert.Equal(typeof(RespDataNodeFactory), FactoryType(_ => { }));
        // MemberGrain asks for the last registration: one added after AddKevyElection wins, ...
        Assert.Equal(typeof(ScriptedDataNodeFactory), FactoryType(s => s.AddSingleton<IDataNodeFactory, ScriptedDataNodeFactory>()));
        // ... and so does one added before it (TryAdd leaves it alone).
        Assert.Equal(typeof(ScriptedDataNodeFactory), FactoryType(_ => { }, before: s => s.AddSingleton<IDataNodeFactory, ScriptedDataNodeFactory>()));
    }

    private static Type? FactoryType(Action<IServiceCollection> after, Action<IServiceCollection>? before = null)
    {
        using var host = Host.CreateDefaultBuilder()
            .UseOrleans(silo =>
            {
                before?.Invoke(silo.Services);
                silo.UseLocalhostClustering(FreePort.Get(), FreePort.Get())
                    .AddKevyElection(o => o.Storage.Path = Path.Combine(Path.GetTempPath(), $"kevy-{Guid.NewGuid():N}"));
                after(silo.Services);
            })
            .Build();
        return host.Services.GetService<IDataNodeFactory>()?.GetType();
    }
}
