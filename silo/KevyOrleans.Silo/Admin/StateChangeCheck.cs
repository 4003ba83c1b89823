using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace KevyOrleans.Silo.Admin;

/// <summary>
/// Cross-site request forgery protection. A request that changes state (an endpoint mapped for
/// POST, PUT, PATCH or DELETE, such as <c>POST /groups/{name}/switchover</c>) is served only when it
/// carries <c>Content-Type: application/json</c> or the <see cref="Header"/> header. A cross-site
/// HTML form or a no-cors <c>fetch</c> can send neither (both need a CORS preflight, which this API
/// never grants), so a page elsewhere cannot make a browser switch primaries. Anything else gets 403
/// and nothing changes. Requests that no endpoint accepts (404, 405) change nothing and pass on.
/// </summary>
internal sealed class StateChangeCheck
{
    /// <summary>The header that marks a request as sent by a script, not a form; any non-empty value (the page sends 1).</summary>
    public const string Header = "X-Kevy-Request";

    private readonly RequestDelegate _next;
    private readonly ILogger _logger;

    public StateChangeCheck(RequestDelegate next, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _next = next;
        _logger = loggers.CreateLogger(AdminLog.Category);
    }

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (!ChangesState(context) || !string.IsNullOrEmpty(request.Headers[Header]) || IsJson(request.ContentType))
        {
            return _next(context);
        }
        AdminLog.Refused(_logger, request.Method, request.Path, context.Connection.RemoteIpAddress?.ToString(),
            $"a state-changing request without {Header} or a JSON body");
        return AdminErrors.WriteAsync(context, StatusCodes.Status403Forbidden,
            $"{request.Method} {request.Path} changes state, so it needs the header {Header}: 1 or a JSON body (Content-Type: application/json); " +
            "a cross-site form can send neither");
    }

    private static bool ChangesState(HttpContext context)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method))
        {
            return false;
        }
        var accepted = context.GetEndpoint()?.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        return accepted is not null && accepted.Contains(method, StringComparer.OrdinalIgnoreCase);
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type) && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
}
