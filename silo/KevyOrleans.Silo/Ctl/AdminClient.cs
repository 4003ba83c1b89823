using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using KevyOrleans.Silo.Admin;

namespace KevyOrleans.Silo.Ctl;

/// <summary>
/// What <c>kevy-silo ctl</c> asks the admin API, with the key in <c>X-Api-Key</c> when one is given
/// and <c>X-Kevy-Request: 1</c> on posts. Failures become <see cref="CtlFailure"/> with the exit code
/// a script can act on (<see cref="CtlExit"/>).
/// </summary>
internal sealed class AdminClient(HttpClient http, string? apiKey)
{
    public Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), type, cancellationToken);

    public Task<T> PostAsync<T>(string path, string json, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
            Headers = { { "X-Kevy-Request", "1" } },
        }, type, cancellationToken);

    public Task<T> PutAsync<T>(string path, string json, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Put, path)
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        }, type, cancellationToken);

    public Task<T> DeleteAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, path) { Headers = { { "X-Kevy-Request", "1" } } }, type, cancellationToken);

    private async Task<T> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var _ = request;
        if (!string.IsNullOrEmpty(apiKey))
        {
            request.Headers.Add(ApiKeyCheck.Header, apiKey);
        }
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new CtlFailure(CtlExit.Unreachable, $"cannot reach the admin API at {http.BaseAddress}: {e.Message}");
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return JsonSerializer.Deserialize(body, type)
                    ?? throw new CtlFailure(CtlExit.Unreachable, $"{request.RequestUri}: an empty answer");
            }
            var error = TryError(body) ?? $"HTTP {(int)response.StatusCode}";
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new CtlFailure(CtlExit.Unauthorized, $"{error} (--api-key or KEVY_API_KEY)"),
                >= HttpStatusCode.InternalServerError => new CtlFailure(CtlExit.Unreachable, error),
                _ => new CtlFailure(CtlExit.Refused, error),
            };
        }
    }

    private static string? TryError(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, AdminJson.Default.AdminError)?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The exit codes of <c>kevy-silo ctl</c>.</summary>
internal static class CtlExit
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The command line is wrong (System.CommandLine's own code for parse errors).</summary>
    public const int Usage = 1;

    /// <summary>The silo refused: unknown group, bad target, a switchover that did not happen (4xx, 409).</summary>
    public const int Refused = 2;

    /// <summary>The admin API cannot be reached or could not answer (connection, timeout, 5xx).</summary>
    public const int Unreachable = 3;

    /// <summary>The API key is missing or wrong (401).</summary>
    public const int Unauthorized = 4;
}

/// <summary>A failed request, with its exit code and the sentence to print.</summary>
internal sealed class CtlFailure(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
