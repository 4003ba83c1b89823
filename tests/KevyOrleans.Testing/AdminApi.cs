using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace KevyOrleans.Testing;

public sealed record MemberView(string Id, string? Role, ulong? Epoch, ulong? Offset, bool Up, bool Hosted, bool Witness, string? KnownPrimary);

public sealed record GroupView(string Name, ulong Epoch, string? Primary, IReadOnlyList<MemberView> Members)
{
    /// <summary>Every hosted member answered and names <paramref name="primary"/> as primary (itself included).</summary>
    public bool AllHostedKnow(string primary) => Members.Where(m => m.Hosted).All(m =>
        m.Id == primary ? m.Role == "primary" : m.KnownPrimary == primary);

    public override string ToString() =>
        $"epoch {Epoch}, primary {Primary ?? "-"}: " + string.Join(", ", Members.Select(m => $"{m.Id}={m.Role ?? "?"}@{m.Epoch}/{m.Offset} up={m.Up} knows={m.KnownPrimary ?? "-"}"));
}

public sealed record ElectionView(ulong Epoch, string Primary, DateTimeOffset At);

/// <summary>The silo's admin HTTP API, as an operator's script would use it.</summary>
public sealed class AdminApi(Uri baseAddress) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public Uri BaseAddress => baseAddress;

    public Task WaitUntilHealthyAsync(SiloProcess silo, TimeSpan within)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.WaitUntilHealthyAsync(_http, within);
    }

    /// <summary>The group's status; null when the API does not answer (silo down or busy).</summary>
    public async Task<GroupView?> TryGetGroupAsync(string name)
    {
        try
        {
            return await _http.GetFromJsonAsync<GroupView>(new Uri($"/groups/{name}", UriKind.Relative), Json).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>GET <paramref name="path"/> as JSON; null when the API does not answer.</summary>
    public async Task<JsonElement?> TryGetJsonAsync(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(await _http.GetStringAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false));
            return doc.RootElement.Clone();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<ElectionView>> GetHistoryAsync(string name)
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync(new Uri($"/groups/{name}/history", UriKind.Relative)).ConfigureAwait(false));
        return doc.RootElement.GetProperty("elections").Deserialize<List<ElectionView>>(Json)!;
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> SwitchoverAsync(string name, string? target)
    {
        var path = target is null ? $"/groups/{name}/switchover" : $"/groups/{name}/switchover?target={Uri.EscapeDataString(target)}";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative));
        request.Headers.Add("X-Kevy-Request", "1"); // a state-changing request must show it is not a cross-site form
        using var response = await _http.SendAsync(request).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        using var doc = JsonDocument.Parse(body);
        return (response.StatusCode, doc.RootElement.Clone());
    }

    public void Dispose() => _http.Dispose();
}
