using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using KevyOrleans.Silo.Tests.Support;

namespace KevyOrleans.Silo.Tests;

/// <summary>
/// What a browser on another site can do to an admin API on loopback without an API key: a
/// cross-site form post is refused and changes nothing, a DNS-rebound page (wrong Host) is refused,
/// and a script that sends <c>X-Kevy-Request</c> or a JSON body is served.
/// </summary>
public sealed class RequestRulesTests(RequestRulesSiloFixture fixture) : IClassFixture<RequestRulesSiloFixture>
{
    private readonly AdminSilo _silo = fixture.Silo;

    [Fact]
    public async Task A_form_post_or_a_text_plain_post_is_refused_and_nothing_changes()
    {
        var primary = await _silo.PrimaryAsync();
        var before = await _silo.GetJsonAsync($"/groups/{_silo.Group}");
        var target = AdminSilo.OtherDataMember(primary);
        var path = new Uri($"/groups/{_silo.Group}/switchover?target={target}", UriKind.Relative);

        // What <form method=post action=...> sends, and what fetch(..., {mode: "no-cors", body: '{"target":..}'}) sends.
        using var form = new FormUrlEncodedContent([new("target", target)]);
        using var text = new StringContent($"{{\"target\":\"{target}\"}}", Encoding.UTF8, "text/plain");
        foreach (var content in new HttpContent[] { form, text })
        {
            using var response = await _silo.Http.PostAsync(path, content);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("X-Kevy-Request", await ErrorAsync(response), StringComparison.Ordinal);
        }

        // A switchover answers only when it is over; the refused ones never started.
        var after = await _silo.GetJsonAsync($"/groups/{_silo.Group}");
        Assert.Equal(primary, after.GetProperty("primary").GetString());
        Assert.Equal(before.GetProperty("epoch").GetUInt64(), after.GetProperty("epoch").GetUInt64());
    }

    [Fact]
    public async Task With_the_header_or_a_json_body_a_switchover_is_served()
    {
        var primary = await _silo.PrimaryAsync();
        var target = AdminSilo.OtherDataMember(primary);
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/groups/{_silo.Group}/switchover?target={target}"))
        {
            request.Headers.Add("X-Kevy-Request", "1");
            using var response = await _silo.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(target, await _silo.PrimaryAsync());

        using var json = new StringContent($"{{\"target\":\"{primary}\"}}", Encoding.UTF8, "application/json");
        using var back = await _silo.Http.PostAsync(new Uri($"/groups/{_silo.Group}/switchover", UriKind.Relative), json);
        Assert.True(back.StatusCode == HttpStatusCode.OK, await back.Content.ReadAsStringAsync());
        Assert.Equal(primary, await _silo.PrimaryAsync());
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:{port}")]
    [InlineData("127.0.0.1:1")]      // the right name on another port
    [InlineData("localhost.evil.example:{port}")]
    public async Task A_request_naming_another_host_is_refused_before_routing(string host)
    {
        var port = _silo.BaseAddress.Port;
        foreach (var path in new[] { "/groups", "/", "/healthz", "/no/such/thing" })
        {
            var (status, body) = await RawGetAsync(path, host.Replace("{port}", $"{port}", StringComparison.Ordinal));
            Assert.True(status == 421, $"GET {path} with Host {host}: {status} {body}");
            Assert.Contains("DNS rebinding", body, StringComparison.Ordinal);
            Assert.DoesNotContain(_silo.Group, body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("localhost:{port}")]
    [InlineData("LOCALHOST:{port}")]
    [InlineData("[::1]:{port}")]
    public async Task Local_host_names_on_the_admin_port_are_served(string host)
    {
        var (status, body) = await RawGetAsync("/groups", host.Replace("{port}", $"{_silo.BaseAddress.Port}", StringComparison.Ordinal));
        Assert.True(status == 200, $"Host {host}: {status} {body}");
        Assert.Contains(_silo.Group, body, StringComparison.Ordinal);
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("error").GetString()!;
    }

    /// <summary>One HTTP/1.1 GET over a raw socket, with the Host header exactly as given (HttpClient would fix it up).</summary>
    private async Task<(int Status, string Body)> RawGetAsync(string path, string host)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _silo.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
    }
}
