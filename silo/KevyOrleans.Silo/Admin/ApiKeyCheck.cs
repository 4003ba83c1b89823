using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace KevyOrleans.Silo.Admin;

/// <summary>Endpoint metadata: this endpoint answers without the API key (<c>/healthz</c>, for probes).</summary>
internal sealed class NoApiKey;

/// <summary>Endpoint metadata: this endpoint also takes the key as <c>?key=</c> (the status page, opened in a browser).</summary>
internal sealed class ApiKeyInQuery;

/// <summary>
/// When <c>Kevy:Admin:ApiKey</c> is set, every request needs it in the <c>X-Api-Key</c> header, except
/// endpoints marked <see cref="NoApiKey"/>; the status page may take it as <c>?key=</c>. Anything else
/// gets 401 with a JSON error. Runs after routing so the exemption follows the endpoint, not a spelling
/// of its path (routes match case-insensitively).
/// </summary>
internal sealed class ApiKeyCheck
{
    public const string Header = "X-Api-Key";
    public const string QueryParameter = "key";

    private readonly RequestDelegate _next;
    private readonly ILogger _logger;
    private readonly byte[]? _expected; // SHA-256 of the key: compared in constant time, whatever the lengths

    public ApiKeyCheck(RequestDelegate next, IOptions<AdminOptions> options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _next = next;
        _logger = loggers.CreateLogger(AdminLog.Category);
        var key = options.Value.ApiKey;
        _expected = string.IsNullOrEmpty(key) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_expected is null)
        {
            return _next(context);
        }
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<NoApiKey>() is not null)
        {
            return _next(context);
        }
        var presented = context.Request.Headers[Header];
        if (presented.Count == 0 && endpoint?.Metadata.GetMetadata<ApiKeyInQuery>() is not null)
        {
            presented = context.Request.Query[QueryParameter];
        }
        if (presented.Count == 0 || string.IsNullOrEmpty(presented[0]))
        {
            return Refuse(context, "no API key", $"this admin API needs an API key: send it in the {Header} header (the status page takes ?{QueryParameter}=)");
        }
        if (presented.Count > 1 || !Matches(presented[0]!))
        {
            return Refuse(context, "wrong API key", "the API key is not the one configured in Kevy:Admin:ApiKey");
        }
        return _next(context);
    }

    private bool Matches(string presented)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        return CryptographicOperations.FixedTimeEquals(hash, _expected);
    }

    private Task Refuse(HttpContext context, string reason, string message)
    {
        // The path only: a query string may hold the key.
        AdminLog.Refused(_logger, context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress?.ToString(), reason);
        return AdminErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, message);
    }
}
