namespace KevyOrleans.Silo.Admin;

/// <summary>The admin HTTP API and the status page.</summary>
public static class AdminEndpoints
{
    public static WebApplication MapKevyAdmin(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapSwitchover();
        return app;
    }
}
