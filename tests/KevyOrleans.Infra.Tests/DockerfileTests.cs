using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace KevyOrleans.Infra.Tests;

/// <summary>Cheap consistency checks of infra/Dockerfile against the repository (no Docker engine needed).</summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = Repository.ReadAll("infra/Dockerfile").Split('\n').Select(l => l.Trim()).ToArray();

    [GeneratedRegex(@"dotnet publish (\S+) -c Release -o /app")]
    private static partial Regex Publish();

    [Fact]
    public void The_published_project_exists_and_builds_kevy_silo_dll_which_is_the_entrypoint()
    {
        var publish = Lines.Select(l => Publish().Match(l)).Single(m => m.Success);
        var project = Repository.PathOf(publish.Groups[1].Value);
        Assert.True(Directory.Exists(project), $"the Dockerfile publishes {project}, which does not exist");
        var csproj = Assert.Single(Directory.GetFiles(project, "*.csproj"));
        var assemblyName = XDocument.Load(csproj).Descendants("AssemblyName").Single().Value;
        Assert.Equal("kevy-silo", assemblyName);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{assemblyName}.dll\"]", Lines);
    }

    [Fact]
    public void Multi_stage_on_the_net_10_images_as_a_non_root_user()
    {
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", Lines);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", Lines);
        var user = Lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.NotEqual("USER root", user);
        Assert.True(Array.IndexOf(Lines, user) < Array.FindIndex(Lines, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)));
    }

    [Fact]
    public void Exposes_the_admin_silo_and_gateway_ports_the_silo_uses()
    {
        var exposed = Lines.Where(l => l.StartsWith("EXPOSE ", StringComparison.Ordinal))
            .SelectMany(l => l["EXPOSE ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet();
        using var defaults = JsonDocument.Parse(Repository.ReadAll("silo/KevyOrleans.Silo/appsettings.defaults.json"));
        var clustering = defaults.RootElement.GetProperty("Kevy").GetProperty("Clustering");
        Assert.Contains(clustering.GetProperty("SiloPort").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), exposed);
        Assert.Contains(clustering.GetProperty("GatewayPort").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), exposed);
        var admin = new Uri(defaults.RootElement.GetProperty("Kevy").GetProperty("Admin").GetProperty("Url").GetString()!);
        Assert.Contains(admin.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), exposed);
        Assert.Contains(Lines, l => l.Contains($"Kevy__Admin__Url=http://0.0.0.0:{admin.Port}", StringComparison.Ordinal));
    }

    [Fact]
    public void The_file_stores_directory_is_a_volume_created_for_the_app_user_before_it_is_declared()
    {
        // The silo's content root is its working directory; the file store's default path is relative to it.
        using var defaults = JsonDocument.Parse(Repository.ReadAll("silo/KevyOrleans.Silo/appsettings.defaults.json"));
        var relative = defaults.RootElement.GetProperty("Kevy").GetProperty("Storage").GetProperty("Path").GetString()!;
        var runtime = Array.FindLastIndex(Lines, l => l.StartsWith("FROM ", StringComparison.Ordinal));
        var workdir = Lines.Skip(runtime).First(l => l.StartsWith("WORKDIR ", StringComparison.Ordinal))["WORKDIR ".Length..].Trim();
        var data = $"{workdir.TrimEnd('/')}/{relative}";

        var volume = Array.FindIndex(Lines, l => l.StartsWith("VOLUME ", StringComparison.Ordinal));
        Assert.True(volume > runtime, "the runtime stage declares no VOLUME: the votes would die with the container");
        Assert.Contains(data, Lines[volume]["VOLUME ".Length..].Trim(' ', '[', ']').Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim('"')));
        // Docker discards changes made to a volume's directory after VOLUME: the chown must come first.
        var chown = Array.FindIndex(Lines, l => l.StartsWith("RUN ", StringComparison.Ordinal) && l.Contains($"chown -R app:app {data}", StringComparison.Ordinal));
        Assert.True(chown > runtime && chown < volume, $"{data} is created and handed to the app user before VOLUME");
    }

    [Fact]
    public void The_healthcheck_gets_healthz_live_on_the_admin_port_of_the_defaults()
    {
        using var defaults = JsonDocument.Parse(Repository.ReadAll("silo/KevyOrleans.Silo/appsettings.defaults.json"));
        var admin = new Uri(defaults.RootElement.GetProperty("Kevy").GetProperty("Admin").GetProperty("Url").GetString()!);
        var start = Array.FindIndex(Lines, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        Assert.True(start >= 0, "the image declares no HEALTHCHECK");
        var check = string.Join(" ", Lines.Skip(start).TakeWhile((l, i) => i == 0 || Lines[start + i - 1].EndsWith('\\')));
        Assert.Contains($"/dev/tcp/127.0.0.1/{admin.Port}", check, StringComparison.Ordinal);
        Assert.Contains("GET /healthz/live HTTP/1.1", check, StringComparison.Ordinal);
        Assert.Contains("grep -q ' 200 '", check, StringComparison.Ordinal);
        Assert.True(start < Array.FindIndex(Lines, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_docker_context_leaves_out_build_output_and_tools()
    {
        var ignored = Repository.ReadAll(".dockerignore").Split('\n').Select(l => l.Trim()).ToHashSet();
        foreach (var dir in new[] { "bin", "obj", "node_modules", "TestResults" })
        {
            Assert.Contains($"**/{dir}/", ignored);
        }
    }
}
