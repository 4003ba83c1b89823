using Microsoft.Extensions.Options;

namespace KevyOrleans.Silo.Admin;

/// <summary>
/// DNS rebinding protection. When <c>Kevy:Admin:Url</c> is a loopback address, a request is
/// answered only when its <c>Host</c> header names this silo the way a local client does:
/// <c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c> (or the configured host) with the configured
/// port. A page from evil.example whose name was rebound to 127.0.0.1 sends <c>Host: evil.example</c>
/// and gets 421 Misdirected Request, before routing, so it learns nothing. An admin URL that is not
/// loopback needs <c>Kevy:Admin:ApiKey</c> instead (<see cref="SiloConfigurationCheck"/>).
/// </summary>
internal sealed class HostHeaderCheck
{
    private readonly RequestDelegate _next;
    private readonly ILogger _logger;
    private readonly HashSet<string>? _names; // null: not bound to loopback, every Host is answered
    private readonly int _port;

    public HostHeaderCheck(RequestDelegate next, IOptions<AdminOptions> options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _next = next;
        _logger = loggers.CreateLogger(AdminLog.Category);
        if (Uri.TryCreate(options.Value.Url, UriKind.Absolute, out var url) && url.IsLoopback)
        {
            _names = new HashSet<string>(["localhost", "127.0.0.1", "[::1]", url.Host], StringComparer.OrdinalIgnoreCase);
            _port = url.Port;
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_names is null)
        {
            return _next(context);
        }
        var host = context.Request.Host;
        var port = host.Port ?? (context.Request.IsHttps ? 443 : 80);
        if (host.HasValue && _names.Contains(host.Host) && port == _port)
        {
            return _next(context);
        }
        AdminLog.Refused(_logger, context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress?.ToString(),
            $"Host header '{host.Value}' is not this loopback silo");
        return AdminErrors.WriteAsync(context, StatusCodes.Status421MisdirectedRequest,
            $"this admin API listens on loopback and answers only requests for localhost, 127.0.0.1 or [::1] on port {_port}; " +
            $"Host '{host.Value}' is refused (DNS rebinding protection)");
    }
}
