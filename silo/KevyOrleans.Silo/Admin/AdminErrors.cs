using Microsoft.AspNetCore.Diagnostics;

namespace KevyOrleans.Silo.Admin;

/// <summary>
/// Every error of the admin API is <c>{"error": "..."}</c> with a sentence an operator can act on:
/// the endpoints' own errors, unknown routes, wrong methods, and unhandled exceptions.
/// </summary>
public static class AdminErrors
{
    public static IResult Result(int statusCode, string message) =>
        TypedResults.Json(new AdminError(message), AdminJson.Default.AdminError, contentType: null, statusCode);

    public static IResult UnknownGroup(string name) =>
        Result(StatusCodes.Status404NotFound, $"no group '{name}' is configured on this silo");

    public static Task WriteAsync(HttpContext context, int statusCode, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = statusCode;
        return context.Response.WriteAsJsonAsync(new AdminError(message), AdminJson.Default.AdminError, contentType: null, context.RequestAborted);
    }

    /// <summary>Answers unhandled exceptions and body-less error statuses (404 route, 405 method) with JSON.</summary>
    internal static void UseAdminErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context =>
            {
                var failure = context.Features.Get<IExceptionHandlerPathFeature>();
                if (failure is not null)
                {
                    AdminLog.Failed(AdminLog.Logger(context.RequestServices), context.Request.Method, failure.Path, failure.Error);
                }
                return WriteAsync(context, StatusCodes.Status500InternalServerError, "internal error; the silo's log has the details (event 4003)");
            },
        });
        app.UseStatusCodePages(context =>
        {
            var http = context.HttpContext;
            var message = http.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => $"no such endpoint: {http.Request.Method} {http.Request.Path}; see GET /groups, /groups/{{name}}, /groups/{{name}}/history, /healthz/live, /healthz/ready, /metrics",
                StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed on {http.Request.Path}",
                StatusCodes.Status400BadRequest => $"bad request: {http.Request.Method} {http.Request.Path}",
                _ => $"HTTP {http.Response.StatusCode}",
            };
            return WriteAsync(http, http.Response.StatusCode, message);
        });
    }
}
