namespace KevyOrleans.Silo.Admin;

/// <summary>
/// The status page at <c>/</c>: one self-contained HTML file (inline CSS and script, no CDN, no
/// fonts from elsewhere), embedded in the executable so the silo needs no web root on disk.
/// It renders every group from the admin API and refreshes itself every second.
/// </summary>
internal static class StatusPage
{
    private const string ResourceName = "KevyOrleans.Silo.Admin.wwwroot.index.html";

    // Only what the page needs: its own inline script and style, and fetches back to this silo.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Lazy<byte[]> Html = new(Load);

    public static IResult Serve(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        // The page may have been opened with ?key=: never hand that URL to anyone else.
        headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Bytes(Html.Value, "text/html; charset=utf-8");
    }

    private static byte[] Load()
    {
        using var stream = typeof(StatusPage).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the embedded status page {ResourceName} is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
