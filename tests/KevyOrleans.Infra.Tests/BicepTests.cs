using System.Text.Json;

namespace KevyOrleans.Infra.Tests;

/// <summary>infra/main.bicep compiled and linted by the real Bicep CLI (NuGet Azure.Bicep.CommandLine.linux-x64); no network needed.</summary>
public sealed class BicepTests
{
    private const string Template = "infra/main.bicep";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    // Built-in role "Storage Table Data Contributor".
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";

    // One compile serves every test (each takes seconds).
    private static readonly Lazy<Task<JsonElement>> Built = new(CompileAsync);

    private static Task<JsonElement> BuildAsync() => Built.Value;

    private static async Task<JsonElement> CompileAsync()
    {
        var result = await Processes.RunAsync(Repository.Bicep, ["build", Template, "--stdout"], Timeout);
        Assert.True(result.ExitCode == 0, $"bicep build failed: {result}");
        Assert.True(string.IsNullOrWhiteSpace(result.Stderr), $"bicep build reported diagnostics: {result.Stderr}");
        using var doc = JsonDocument.Parse(result.Stdout);
        return doc.RootElement.Clone();
    }

    /// <summary>The expression a template variable stands for, so a test sees what ARM will evaluate.</summary>
    private static string Resolve(JsonElement arm, string? value)
    {
        const string prefix = "[variables('";
        Assert.NotNull(value);
        return value.StartsWith(prefix, StringComparison.Ordinal) && value.EndsWith("')]", StringComparison.Ordinal)
            ? arm.GetProperty("variables").GetProperty(value[prefix.Length..^3]).GetString()!
            : value;
    }

    private static IEnumerable<JsonElement> Resources(JsonElement arm, string type) =>
        arm.GetProperty("resources").EnumerateArray().Where(r => r.GetProperty("type").GetString() == type);

    [Fact]
    public async Task Lint_reports_no_warnings_or_errors()
    {
        var result = await Processes.RunAsync(Repository.Bicep, ["lint", Template], Timeout);
        Assert.True(result.ExitCode == 0, $"bicep lint failed: {result}");
        Assert.True(string.IsNullOrWhiteSpace(result.Stdout + result.Stderr), $"bicep lint reported: {result}");
    }

    [Fact]
    public async Task Build_gives_a_container_app_with_at_least_one_replica_and_the_identity()
    {
        var arm = await BuildAsync();
        var app = Assert.Single(Resources(arm, "Microsoft.App/containerApps"));
        var template = app.GetProperty("properties").GetProperty("template");
        Assert.Equal("[parameters('replicas')]", template.GetProperty("scale").GetProperty("minReplicas").GetString());
        var replicas = arm.GetProperty("parameters").GetProperty("replicas");
        Assert.True(replicas.GetProperty("minValue").GetInt32() >= 1);
        Assert.Equal("UserAssigned", app.GetProperty("identity").GetProperty("type").GetString());
        Assert.Single(Resources(arm, "Microsoft.App/managedEnvironments"));
        Assert.Single(Resources(arm, "Microsoft.ManagedIdentity/userAssignedIdentities"));
    }

    [Fact]
    public async Task Build_grants_the_identity_table_data_contributor_on_the_storage_account()
    {
        var arm = await BuildAsync();
        var role = Assert.Single(Resources(arm, "Microsoft.Authorization/roleAssignments"));
        var properties = role.GetProperty("properties");
        Assert.Contains(TableDataContributor, Resolve(arm, properties.GetProperty("roleDefinitionId").GetString()), StringComparison.Ordinal);
        Assert.Contains("userAssignedIdentities", properties.GetProperty("principalId").GetString(), StringComparison.Ordinal);
        Assert.Contains("Microsoft.Storage/storageAccounts", role.GetProperty("scope").GetString(), StringComparison.Ordinal);
        var tables = Resources(arm, "Microsoft.Storage/storageAccounts/tableServices/tables")
            .Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Contains(tables, t => t!.Contains("'KevyVotes'", StringComparison.Ordinal));
        Assert.Contains(tables, t => t!.Contains("'OrleansSiloInstances'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Build_sets_the_silo_configuration_for_azure_mode()
    {
        var arm = await BuildAsync();
        var app = Assert.Single(Resources(arm, "Microsoft.App/containerApps"));
        var container = Assert.Single(app.GetProperty("properties").GetProperty("template").GetProperty("containers").EnumerateArray());
        var env = container.GetProperty("env").EnumerateArray().ToDictionary(
            e => e.GetProperty("name").GetString()!,
            e => e.TryGetProperty("value", out var v) ? Resolve(arm, v.GetString()) : "secretRef:" + e.GetProperty("secretRef").GetString());

        Assert.Equal("AzureTable", env["Kevy__Clustering__Provider"]);
        Assert.Equal("AzureTable", env["Kevy__Storage__Provider"]);
        Assert.Contains(".table.", env["Kevy__Clustering__ServiceUri"], StringComparison.Ordinal);
        Assert.StartsWith("[format('https://{0}.table.", env["Kevy__Clustering__ServiceUri"], StringComparison.Ordinal);
        Assert.Equal(env["Kevy__Clustering__ServiceUri"], env["Kevy__Storage__ServiceUri"]);
        Assert.Contains("clientId", env["AZURE_CLIENT_ID"], StringComparison.Ordinal);
        Assert.Equal("http://0.0.0.0:8080", env["Kevy__Admin__Url"]);
        Assert.Equal("0.0.0.0", env["Kevy__Gateway__BindAddress"]);
        Assert.Equal("secretRef:admin-api-key", env["Kevy__Admin__ApiKey"]);
        Assert.Contains("Kevy__Clustering__ProbeTimeoutMs", env.Keys);
        Assert.Contains("Kevy__Clustering__MissedProbesLimit", env.Keys);

        // The fleet file: a secret mounted as /config/fleet.json and named by --config.
        Assert.Equal(["--config", "/config/fleet.json"], container.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
        var mount = Assert.Single(container.GetProperty("volumeMounts").EnumerateArray());
        Assert.Equal("/config", mount.GetProperty("mountPath").GetString());
        // The volume's secret list is an expression (the TLS files join it when given): fleet.json is always in it.
        Assert.Contains("'secretRef','fleet-json','path','fleet.json'", app.GetProperty("properties").GetProperty("template").GetProperty("volumes").GetRawText().Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_probes_liveness_on_healthz_live_and_readiness_on_healthz_ready_on_the_admin_port()
    {
        var arm = await BuildAsync();
        var app = Assert.Single(Resources(arm, "Microsoft.App/containerApps"));
        var container = Assert.Single(app.GetProperty("properties").GetProperty("template").GetProperty("containers").EnumerateArray());
        var probes = container.GetProperty("probes").EnumerateArray().ToDictionary(p => p.GetProperty("type").GetString()!);
        Assert.Equal(["Liveness", "Readiness"], probes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("/healthz/live", probes["Liveness"].GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal("/healthz/ready", probes["Readiness"].GetProperty("httpGet").GetProperty("path").GetString());
        // Ports are numbers; a template variable's is looked up (it compiles to "[variables('adminPort')]").
        string Port(JsonElement port) => port.ValueKind == JsonValueKind.String && port.GetString()!.StartsWith("[variables('", StringComparison.Ordinal)
            ? arm.GetProperty("variables").GetProperty(port.GetString()!["[variables('".Length..^"')]".Length]).GetRawText()
            : port.GetRawText();
        var ingressPort = Port(app.GetProperty("properties").GetProperty("configuration").GetProperty("ingress").GetProperty("targetPort"));
        Assert.Equal("8080", ingressPort);
        foreach (var probe in probes.Values)
        {
            Assert.Equal(ingressPort, Port(probe.GetProperty("httpGet").GetProperty("port")));
            // The ready checks are bounded at 3 s each (run together): the probe must wait longer than that.
            Assert.True(probe.GetProperty("timeoutSeconds").GetInt32() > 3, probe.ToString());
        }
    }

    [Fact]
    public async Task Silo_to_silo_TLS_is_off_without_a_certificate_and_its_files_are_secrets_beside_the_fleet_file()
    {
        var arm = await BuildAsync();
        var parameters = arm.GetProperty("parameters");
        Assert.Equal("securestring", parameters.GetProperty("siloTlsCertificatePem").GetProperty("type").GetString());
        Assert.Equal("securestring", parameters.GetProperty("siloTlsKeyPem").GetProperty("type").GetString());
        Assert.Equal("", parameters.GetProperty("siloTlsCertificatePem").GetProperty("defaultValue").GetString());
        Assert.Equal("[not(empty(parameters('siloTlsCertificatePem')))]", arm.GetProperty("variables").GetProperty("siloTls").GetString());
        var app = Assert.Single(Resources(arm, "Microsoft.App/containerApps"));
        var container = Assert.Single(app.GetProperty("properties").GetProperty("template").GetProperty("containers").EnumerateArray());
        var env = container.GetProperty("env").EnumerateArray().Where(e => e.TryGetProperty("value", out _))
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("value").GetString() ?? "");
        Assert.Equal("[string(variables('siloTls'))]", env["Kevy__SiloTls__Enabled"]);
        Assert.Contains("/config/silo-tls.pem", env["Kevy__SiloTls__CertificatePath"], StringComparison.Ordinal);
        Assert.Contains("/config/silo-tls.key", env["Kevy__SiloTls__KeyPath"], StringComparison.Ordinal);
        Assert.Contains("/config/silo-tls-ca.pem", env["Kevy__SiloTls__CaPath"], StringComparison.Ordinal);
        Assert.Equal("[parameters('siloTlsAllowedThumbprints')]", env["Kevy__SiloTls__AllowedThumbprints"]);
        var secrets = app.GetProperty("properties").GetProperty("configuration").GetProperty("secrets").GetString()!;
        Assert.Contains("'silo-tls-key', 'value', parameters('siloTlsKeyPem')", secrets, StringComparison.Ordinal);
        var volumes = app.GetProperty("properties").GetProperty("template").GetProperty("volumes").GetRawText();
        Assert.Contains("'secretRef', 'silo-tls-key', 'path', 'silo-tls.key'", volumes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_are_secure_parameters()
    {
        var arm = await BuildAsync();
        var parameters = arm.GetProperty("parameters");
        Assert.Equal("securestring", parameters.GetProperty("adminApiKey").GetProperty("type").GetString());
        Assert.Equal(16, parameters.GetProperty("adminApiKey").GetProperty("minLength").GetInt32());
        Assert.Equal("securestring", parameters.GetProperty("fleetJson").GetProperty("type").GetString());
        foreach (var p in parameters.EnumerateObject())
        {
            Assert.True(p.Value.TryGetProperty("metadata", out var m) && m.TryGetProperty("description", out _), $"parameter {p.Name} has no @description");
        }
    }

    [Fact]
    public async Task The_example_parameters_file_names_only_parameters_of_the_template()
    {
        var arm = await BuildAsync();
        var known = arm.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToHashSet();
        using var example = JsonDocument.Parse(Repository.ReadAll("infra/main.parameters.example.json"));
        foreach (var p in example.RootElement.GetProperty("parameters").EnumerateObject())
        {
            Assert.Contains(p.Name, known);
        }
    }
}
