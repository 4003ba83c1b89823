using KevyOrleans.Silo;
using KevyOrleans.Silo.Ctl;
using KevyOrleans.Silo.Demo;

// kevy-silo [--config fleet.json] [--Kevy:Key=value ...]   run a silo
// kevy-silo demo                                           three redis-server data nodes, one group, narrated
// kevy-silo ctl list|history|switchover ...                the admin API of a running silo (kevy-silo ctl --help)
if (args.Length > 0 && args[0] == "demo")
{
    return await DemoCommand.RunAsync(args[1..]).ConfigureAwait(false);
}
if (args.Length > 0 && args[0] == "ctl")
{
    return await CtlCommand.RunAsync(args[1..], Console.Out, Console.Error).ConfigureAwait(false);
}
WebApplication app;
try
{
    app = SiloHost.Build(args);
}
catch (ConfigurationProblem problem)
{
    await Console.Error.WriteLineAsync($"kevy-silo: invalid configuration: {problem.Message}").ConfigureAwait(false);
    return 2;
}
try
{
    await app.RunAsync().ConfigureAwait(false); // SIGTERM / Ctrl-C: graceful stop (members deactivate, links drain)
    return 0;
}
catch (Microsoft.Extensions.Options.OptionsValidationException e)
{
    await Console.Error.WriteLineAsync($"kevy-silo: invalid configuration: {string.Join(Environment.NewLine, e.Failures)}").ConfigureAwait(false);
    return 2;
}
catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
{
    await Console.Error.WriteLineAsync($"kevy-silo: cannot listen: {e.Message}").ConfigureAwait(false);
    return 3;
}
