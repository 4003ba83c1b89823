namespace KevyOrleans.Silo.Demo;

/// <summary>The demo: three redis-server data nodes, one group of three hosted members, narrated.</summary>
public static class DemoCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Console.Error.WriteLine("kevy-silo demo: not built yet");
        return Task.FromResult(1);
    }
}
